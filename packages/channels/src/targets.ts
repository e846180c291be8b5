import { isIP } from 'node:net';
import { ValidationError } from '@vigil/core';

/**
 * Receivers may only call public HTTPS endpoints: no plain HTTP, no loopback, private,
 * link-local or metadata addresses (they would let a key holder probe the network Vigil runs
 * in). Tests allow private targets explicitly.
 */
export function checkTarget(url: string, allowPrivate: boolean, field = 'url'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`'${url}' is not a URL`, [{ field, message: 'expected an https:// URL' }]);
  }
  if (allowPrivate) {
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new ValidationError('only http(s) targets are allowed', [{ field, message: 'expected http(s)' }]);
    return parsed;
  }
  if (parsed.protocol !== 'https:')
    throw new ValidationError('receiver URLs must use https', [
      { field, message: 'expected an https:// URL' },
    ]);
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal') ||
    host.endsWith('.local') ||
    isPrivateAddress(host)
  ) {
    throw new ValidationError(`receiver URLs must not point at private or loopback addresses (${host})`, [
      { field, message: 'private, loopback and link-local targets are not allowed' },
    ]);
  }
  return parsed;
}

function isPrivateAddress(host: string): boolean {
  const kind = isIP(host);
  if (kind === 4) {
    const [a, b] = host.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (kind === 6)
    return (
      host === '::1' ||
      host === '::' ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80') ||
      host.startsWith('::ffff:')
    );
  return false;
}
