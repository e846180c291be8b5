import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { gracefulClose } from './drain';

/**
 * The embedded DynamoDB-compatible store (dynalite), persistent under `<dataDir>/dynamodb`.
 * It speaks the real DynamoDB API, so the DynamoDB adapters run unchanged. It can be stopped
 * and started again on the same port (tests use that to watch readiness fail and recover).
 */
export class EmbeddedStore {
  private server: Server | undefined;
  private close: (() => Promise<void>) | undefined;
  private port = 0;

  constructor(private readonly dataDir: string) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const path = join(this.dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true });
    const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.close = gracefulClose(server);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Requests under way finish first: dynalite throws, uncaught, when its database closes under one.
    await this.close?.();
  }
}
