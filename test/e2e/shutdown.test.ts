import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/** Sends a GET on its own connection; `sent` resolves once the whole request is on the wire. */
function get(url: string, key: string) {
  let sent!: () => void;
  const written = new Promise<void>((r) => {
    sent = r;
  });
  const done = new Promise<number>((resolve, reject) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('finish', sent);
    req.end();
  });
  return { written, done };
}

describe('stopping the local runtime', () => {
  it('lets requests in flight finish before it closes the store', async () => {
    const rt = await startTestRuntime();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await rt.api('POST', '/api/v1/logs', [{ message: 'shutdown probe', service: 'probe', level: 'info' }]);
      const calls = Array.from({ length: 8 }, (_, i) =>
        get(`${rt.url}${i % 2 ? '/api/v1/logs/search?service=probe' : '/api/v1/incidents'}`, rt.adminKey),
      );
      const settled = Promise.allSettled(calls.map((c) => c.done));
      await Promise.all(calls.map((c) => c.written));
      await new Promise((r) => setTimeout(r, 20));
      await rt.cleanup();
      // A request the runtime had begun to answer is answered in full (none meets a closed store);
      // one still unread in its socket may be refused, as at any server's shutdown.
      const answered = (await settled).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(answered.every((status) => status === 200)).toBe(true);
      expect(answered.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
