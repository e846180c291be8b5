import type { Server } from 'node:http';

/** Longest wait for requests in flight at close; an open live tail never finishes by itself. */
const DRAIN_MS = 2_000;

/**
 * Counts the requests a server is answering, and returns a close that stops accepting
 * connections, lets those requests finish (up to DRAIN_MS) so none of them meets closed
 * resources, then closes what is left (idle keep-alive sockets, live tails).
 */
export function gracefulClose(server: Server): () => Promise<void> {
  let inflight = 0;
  server.on('request', (_req, res) => {
    inflight++;
    res.once('close', () => inflight--);
  });
  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = Date.now() + DRAIN_MS;
    while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    server.closeAllConnections();
    await closed;
  };
}
