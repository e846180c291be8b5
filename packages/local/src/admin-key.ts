import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret } from '@vigil/dynamo';

/**
 * The admin key of the local runtime: VIGIL_ADMIN_KEY when given, else the one generated on
 * first start and kept in `<dataDir>/admin-key` (mode 0600).
 */
export function resolveAdminKey(
  dataDir: string,
  fixed?: string,
): { key: string; source: 'env' | 'file' | 'generated' } {
  if (fixed) return { key: fixed, source: 'env' };
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), source: 'file' };
  mkdirSync(dataDir, { recursive: true });
  const key = generateSecret();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, source: 'generated' };
}
