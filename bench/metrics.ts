/**
 * Metrics benchmark, one JSON line:
 * - ingest: CPU throughput of the OTLP ingest path (parse, translate, validate, encode, store in
 *   memory) vs bare JSON.parse of the same payload — goal ≥ 0.5×;
 * - bytes per sample of the compacted Gorilla blocks (payload and whole DynamoDB item) on
 *   node_exporter-like data and on the NAB series — goal ≤ 1.3 B;
 * - dollars per 10 M samples ingested and compacted, from the table's consumed units, measured
 *   Lambda CPU time and bench/prices.json — goal ≤ $0.045 (AMP: $0.90);
 * - a 30-day range read of one series and of 5 series, from 1h rollups vs raw samples.
 */
import { readFileSync } from 'node:fs';
import type { SeriesInput } from '@vigil/core/events';
import { encodeGorilla, seriesId } from '@vigil/core/metrics';
import { translateOtlpMetrics } from '@vigil/core/metrics-formats';
import type { Tables } from '@vigil/core/ports';
import {
  BLOCK_MS,
  blockKey,
  compactSegments,
  itemBytes,
  MemoryTableStore,
  MetricStore,
  RollupStore,
} from '@vigil/dynamo';
import { ingestSeries } from '../packages/functions/src/metrics/write';
import { configurePlatform } from '../packages/functions/src/platform/context';
import { nabSeries, nodeExporterScrapes, otlpPayload } from './metrics/data';

const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-11-01T00:00:00Z');

function useTable(): MemoryTableStore {
  const metrics = new MemoryTableStore('metrics');
  configurePlatform({
    tables: {
      metrics,
      state: new MemoryTableStore('state'),
      logs: new MemoryTableStore('logs'),
    } as unknown as Tables,
  });
  return metrics;
}

/** CPU ms spent in `run`. */
async function cpu(run: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function ingestThroughput() {
  const points = 5_000;
  const payload = otlpPayload(points, T0);
  const rounds = 40;
  let parseMs = 0;
  let handlerMs = 0;
  // Steady state: the series are known (indexed) after the first request, as on a live system.
  useTable();
  for (let r = 0; r < rounds + 5; r++) {
    const at = T0 + r * 15_000;
    const p = await cpu(async () => {
      JSON.parse(payload);
    });
    const h = await cpu(async () => {
      const translated = translateOtlpMetrics(JSON.parse(payload), at);
      const outcome = await ingestSeries(translated.series, at);
      if (outcome.accepted !== points) throw new Error(`accepted ${outcome.accepted} of ${points}`);
    });
    if (r >= 5) {
      parseMs += p;
      handlerMs += h;
    }
  }
  return {
    samplesPerSec: Math.round((points * rounds) / (handlerMs / 1000)),
    jsonParseMBps: Math.round(((payload.length * rounds) / 1e6 / (parseMs / 1000)) * 10) / 10,
    handlerMBps: Math.round(((payload.length * rounds) / 1e6 / (handlerMs / 1000)) * 10) / 10,
    ratioVsJsonParse: Math.round((parseMs / handlerMs) * 1000) / 1000,
  };
}

/** Ingests `requests` in order (compacting every `compactEvery`), then compacts what is left. */
async function ingestAndCompact(requests: SeriesInput[][], compactEvery: number, at: (i: number) => number) {
  const table = useTable();
  const store = new MetricStore(table);
  const rollups = new RollupStore(table);
  let ingestCpuMs = 0;
  let compactCpuMs = 0;
  let compactions = 0;
  let samples = 0;
  for (let i = 0; i < requests.length; i++) {
    ingestCpuMs += await cpu(async () => {
      samples += (await ingestSeries(requests[i], at(i))).accepted;
    });
    if ((i + 1) % compactEvery === 0) {
      compactCpuMs += await cpu(async () => {
        await compactSegments(store, rollups, 10_000);
      });
      compactions++;
    }
  }
  compactCpuMs += await cpu(async () => {
    while ((await compactSegments(store, rollups, 10_000)).segments) compactions++;
  });
  return { table, store, rollups, samples, ingestCpuMs, compactCpuMs, compactions: compactions + 1 };
}

/** Payload and item bytes of every compacted block, per sample. */
async function blockBytes(table: MemoryTableStore, store: MetricStore, samples: number) {
  let payload = 0;
  let item = 0;
  let blocks = 0;
  for (const s of await store.findSeries([{ name: '__name__', type: '=~', value: '.+' }])) {
    for (const b of (await table.query({ pk: `BLK#${s.id}`, limit: 100_000 })).items) {
      payload += (b.data as Uint8Array).byteLength;
      item += itemBytes(b);
      blocks++;
    }
  }
  const r = (n: number) => Math.round((n / samples) * 1000) / 1000;
  return { samples, blocks, bytesPerSample: r(payload), itemBytesPerSample: r(item) };
}

async function nodeExporter() {
  // 200 series, 15 s scrapes for 2 h; compaction every 5 min (20 scrapes), as scheduled.
  const scrapes = nodeExporterScrapes(200, 480, T0);
  const run = await ingestAndCompact(scrapes, 20, (i) => T0 + i * 15_000 + 500);
  return { run, bytes: await blockBytes(run.table, run.store, run.samples) };
}

/**
 * NAB: each file cut into the 2-hour blocks compaction writes, encoded and sized exactly as
 * `MetricStore.mergeIntoBlock` stores them (the in-memory table is too slow for 15 k blocks).
 */
function nab() {
  let samples = 0;
  let payload = 0;
  let item = 0;
  let blocks = 0;
  for (const s of nabSeries()) {
    const byBlock = new Map<number, Array<[number, number]>>();
    for (const p of s.samples) {
      const b = Math.floor(p[0] / BLOCK_MS) * BLOCK_MS;
      const list = byBlock.get(b) ?? [];
      if (!list.length) byBlock.set(b, list);
      list.push(p);
    }
    const id = seriesId({ __name__: s.name, ...s.labels });
    for (const [start, points] of byBlock) {
      const data = encodeGorilla(
        points.map((p) => p[0]),
        points.map((p) => p[1]),
      );
      const stored = { ...blockKey(id, start), data, n: points.length, expiresAt: Math.floor(start / 1000) };
      samples += points.length;
      payload += data.byteLength;
      item += itemBytes(stored);
      blocks++;
    }
  }
  const r = (n: number) => Math.round((n / samples) * 1000) / 1000;
  return { samples, blocks, bytesPerSample: r(payload), itemBytesPerSample: r(item) };
}

function dollars(run: Awaited<ReturnType<typeof nodeExporter>>['run'], requests: number) {
  const { writeUnits, readUnits } = run.table.consumed();
  const per10M = 10_000_000 / run.samples;
  const gbSeconds =
    (run.ingestCpuMs / 1000) * prices.lambdaMemoryGb.ingest +
    (run.compactCpuMs / 1000) * prices.lambdaMemoryGb['compact-metrics'];
  const parts = {
    dynamoWrites: ((writeUnits * per10M) / 1e6) * prices.dynamodbWriteRequestUnitPerMillion,
    dynamoReads: ((readUnits * per10M) / 1e6) * prices.dynamodbReadRequestUnitPerMillion,
    lambdaCompute: gbSeconds * per10M * prices.lambdaGbSecond,
    lambdaRequests: (((requests + run.compactions) * per10M) / 1e6) * prices.lambdaRequestPerMillion,
    apiGateway: ((requests * per10M) / 1e6) * prices.apiGatewayHttpRequestPerMillion,
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  const round = (n: number) => Math.round(n * 1e5) / 1e5;
  return {
    writeUnitsPer10M: Math.round(writeUnits * per10M),
    readUnitsPer10M: Math.round(readUnits * per10M),
    lambdaGbSecondsPer10M: Math.round(gbSeconds * per10M * 100) / 100,
    parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])),
    dollarsPer10M: round(total),
    ampDollarsPer10M: prices.ampIngestPer10MSamples,
    cheaperThanAmp: Math.round((prices.ampIngestPer10MSamples / total) * 10) / 10,
  };
}

async function rangeQueries() {
  // 5 series at 60 s for 30 days, compacted; then one series and all 5, raw vs 1h rollups.
  const table = useTable();
  const store = new MetricStore(table);
  const rollups = new RollupStore(table);
  const minutes = 30 * 1440;
  const series = 5;
  for (let day = 0; day < 30; day++) {
    const batch: SeriesInput[] = Array.from({ length: series }, (_, i) => ({
      name: 'bench_latency',
      labels: { pod: `p${i}` },
      samples: Array.from({ length: 1440 }, (_, m) => [T0 + (day * 1440 + m) * 60_000, (i + m) % 97]),
    }));
    const normalized = batch.map((s, i) => ({
      id: `bench${i}`,
      labels: { __name__: s.name, ...s.labels },
      samples: s.samples,
    }));
    await store.write(normalized, T0);
    await compactSegments(store, rollups, 10_000);
  }
  const end = T0 + minutes * 60_000;
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return Math.round(performance.now() - started);
  };
  const raw = async (ids: string[]) => {
    for (const id of ids) {
      const found = await store.select([{ name: 'pod', type: '=', value: `p${id.slice(5)}` }], T0, end);
      if (!found.length) throw new Error('no raw samples');
    }
  };
  const fromRollups = async (ids: string[]) => {
    for (const id of ids) if (!(await rollups.read('1h', id, T0, end)).length) throw new Error('no rollups');
  };
  const all = Array.from({ length: series }, (_, i) => `bench${i}`);
  return {
    oneSeriesRawMs: await time(() => raw(['bench0'])),
    oneSeriesRollupMs: await time(() => fromRollups(['bench0'])),
    allSeriesRawMs: await time(() => raw(all)),
    allSeriesRollupMs: await time(() => fromRollups(all)),
    series,
    samplesPerSeries: minutes,
  };
}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await run();
  if (process.env.BENCH_VERBOSE)
    process.stderr.write(`${name}: ${Math.round(performance.now() - started)} ms\n`);
  return out;
}

async function main() {
  const ingest = await timed('ingest', ingestThroughput);
  const node = await timed('node_exporter', nodeExporter);
  const cost = dollars(node.run, 480);
  const nabBytes = await timed('nab', async () => nab());
  const range = await timed('range', rangeQueries);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'metrics',
      ingest,
      bytesPerSample: { nodeExporter: node.bytes, nab: nabBytes, goal: 1.3, gorillaPaper: 1.37 },
      cost: {
        ...cost,
        goal: 0.045,
        shape: '200 series, 15 s scrapes, 1 request per scrape, compaction every 5 min',
      },
      range30d: range,
    })}\n`,
  );
}

await main();
