/**
 * API keys: named, scoped, stored only as SHA-256 hashes. The secret is shown once, at creation.
 */
export const API_KEY_SCOPES = ['ingest', 'read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A stored key: everything but the secret. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** The first characters of the secret, so people can tell keys apart. */
  prefix: string;
  createdAt: string;
  /** Set for the key the runtime bootstraps from VIGIL_ADMIN_KEY or its generated admin key. */
  bootstrap?: boolean;
}

/** The secret's public prefix: every Vigil key starts with `vgl_`. */
export const API_KEY_PREFIX = 'vgl_';
