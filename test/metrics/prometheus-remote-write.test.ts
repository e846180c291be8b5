import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStaleNaN } from '@vigil/core/promql';
import snappy from 'snappyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRequest } from '../../packages/functions/src/http/metrics/remote-write';
import { freePort, waitFor } from '../support/net';
import { startTestRuntime } from '../support/runtime';

const PROMETHEUS = '/usr/bin/prometheus';

interface Sent {
  labels: Record<string, string>;
  stamps: Set<number>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function body(req: import('node:http').IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('remote_write from a real Prometheus', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let prom: ChildProcess | undefined;
  let dir: string;
  const servers: Server[] = [];
  /** Every (series, timestamp) Prometheus sent and Vigil acknowledged, and how many samples in all. */
  const sent = new Map<string, Sent>();
  let samplesSent = 0;
  let requests = 0;
  let hits = 0;

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS))
      throw new Error(`this test needs Debian's prometheus (${PROMETHEUS}): apt-get install prometheus`);
    rt = await startTestRuntime();
    await rt.setClock(Date.now());

    // The scraped target: a counter that grows on every scrape, and a gauge.
    const target = createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(
        [
          '# TYPE rw_hits_total counter',
          `rw_hits_total{path="/a"} ${hits}`,
          `rw_hits_total{path="/b"} ${hits * 2}`,
          '# TYPE rw_temp gauge',
          `rw_temp ${20 + (hits % 5) / 10}`,
          '',
        ].join('\n'),
      );
    });
    servers.push(target);
    const targetPort = await listen(target);

    // Between Prometheus and Vigil: records what Vigil acknowledged, passing every request on.
    const proxy = createServer(async (req, res) => {
      const raw = await body(req);
      const upstream = await fetch(`${rt.url}/api/v1/write`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${rt.adminKey}`,
          'content-type': String(req.headers['content-type']),
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
        },
        body: new Uint8Array(raw),
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      if (upstream.ok) {
        requests++;
        const message = WriteRequest.toObject(WriteRequest.decode(snappy.uncompress(raw)), {
          longs: Number,
        }) as {
          timeseries?: Array<{
            labels: Array<{ name: string; value: string }>;
            samples?: Array<{ value: number; timestamp: number }>;
          }>;
        };
        for (const ts of message.timeseries ?? []) {
          const labels = Object.fromEntries(ts.labels.map((l) => [l.name, l.value]));
          if (labels.job !== 'rw') continue;
          const key = JSON.stringify(Object.entries(labels).sort());
          const entry = sent.get(key) ?? { labels, stamps: new Set<number>() };
          sent.set(key, entry);
          for (const s of ts.samples ?? []) {
            samplesSent++;
            if (!isStaleNaN(s.value)) entry.stamps.add(s.timestamp);
          }
        }
      }
      res.writeHead(upstream.status).end(answer);
    });
    servers.push(proxy);
    const proxyPort = await listen(proxy);

    dir = mkdtempSync(join(tmpdir(), 'vigil-rw-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: rw',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${targetPort}']`,
        'remote_write:',
        `  - url: http://127.0.0.1:${proxyPort}/api/v1/write`,
        '    queue_config:',
        '      batch_send_deadline: 1s',
        '      max_samples_per_send: 50',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    // Enough scrapes for several remote-write batches, then Prometheus stops (flushing its queue).
    await waitFor(async () => hits >= 8 && requests >= 3, 60_000);
    const stopped = new Promise((resolve) => prom?.once('exit', resolve));
    prom.kill('SIGTERM');
    await stopped;
    prom = undefined;
  }, 90_000);

  afterAll(async () => {
    prom?.kill('SIGKILL');
    for (const s of servers) s.close();
    await rt?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores every sample Prometheus sent, once', async () => {
    expect(sent.size).toBeGreaterThanOrEqual(3);
    expect(samplesSent).toBeGreaterThan(0);
    const latest = Math.max(...[...sent.values()].flatMap((s) => [...s.stamps]));
    const res = await rt.api(
      'GET',
      `/api/v1/query?query=${encodeURIComponent('{job="rw"}[1h]')}&time=${(latest + 1) / 1000}`,
    );
    expect(res.body.status).toBe('success');
    const stored = new Map<string, number[]>();
    for (const s of res.body.data.result as Array<{
      metric: Record<string, string>;
      values: [number, string][];
    }>)
      stored.set(
        JSON.stringify(Object.entries(s.metric).sort()),
        s.values.map(([t]) => Math.round(t * 1000)),
      );
    for (const [key, entry] of sent) {
      const times = stored.get(key);
      expect(times, `series ${key} missing`).toBeDefined();
      expect(new Set(times).size, `${key}: a timestamp stored twice`).toBe(times?.length);
      expect(times?.sort((a, b) => a - b)).toEqual([...entry.stamps].sort((a, b) => a - b));
    }
  });

  it('stores the scraped counter values exactly', async () => {
    const key = [...sent.keys()].find((k) => k.includes('rw_hits_total') && k.includes('"/b"'));
    expect(key).toBeDefined();
    const stamps = [...(sent.get(key as string)?.stamps ?? [])].sort((a, b) => a - b);
    const last = stamps.at(-1) as number;
    const res = await rt.api(
      'GET',
      `/api/v1/query?query=${encodeURIComponent('rw_hits_total{path="/b"}')}&time=${last / 1000}`,
    );
    const value = Number(res.body.data.result[0].value[1]);
    expect(value % 2).toBe(0);
    expect(value).toBeGreaterThanOrEqual(2 * stamps.length);
  });
});
