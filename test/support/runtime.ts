import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Runtime, type RuntimeOptions, startRuntime } from '@vigil/local';

/** A local runtime on a free port with a temporary data dir, a fixed admin key and the test clock. */
export async function startTestRuntime(
  options: RuntimeOptions = {},
): Promise<Runtime & { api: Api; cleanup: () => Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const rt = await startRuntime({
    port: 0,
    adminKey: 'vgl_test_admin_key',
    testClock: true,
    allowPrivateTargets: true,
    quiet: true,
    ...options,
    dataDir,
  });
  return Object.assign(rt, {
    api: api(rt.url, rt.adminKey),
    cleanup: async () => {
      await rt.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export type Api = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  init?: { key?: string | null; headers?: Record<string, string>; raw?: string | Uint8Array },
) => Promise<ApiResponse<T>>;

/** A tiny JSON client for e2e tests: the admin key unless `key` says otherwise (null: none). */
export function api(base: string, adminKey: string): Api {
  return async (method, path, body, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const key = init.key === undefined ? adminKey : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let payload: string | Uint8Array | undefined = init.raw;
    if (body !== undefined && payload === undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(base + path, { method, headers, body: payload as BodyInit | undefined });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as any, text };
  };
}
