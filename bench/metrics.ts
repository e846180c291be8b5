/**
 * Metrics benchmark, one JSON line:
 * - ingest: CPU throughput of the OTLP ingest path (parse, translate, validate, encode, store in
 *   memory) vs bare JSON.parse of the same payload — goal ≥ 0.5×;
 * - bytes per sample kept after compaction (packed blocks, rollups and index as whole DynamoDB
 *   items; the block payload alone too) on node_exporter-like data and on the NAB series — goal ≤ 1.3 B;
 * - dollars per 10 M samples ingested and compacted, from the table's consumed units, measured
 *   Lambda CPU time and bench/prices.json — goal ≤ $0.045 (AMP: $0.90);
 * - 30-day range reads from 1h rollups vs raw samples: one series at 60 s, and 1,000 series summed
 *   (`sum(sum_over_time(x[1h]))` at a 1h step), time, read units and bytes (see metrics/range.ts).
 */
import { readFileSync } from 'node:fs';
import type { SeriesInput } from '@vigil/core/events';
import { seriesId } from '@vigil/core/metrics';
import type { Item } from '@vigil/core/ports';
import {
  compactSegments,
  GRACE_MS,
  itemBytes,
  type MemoryTableStore,
  MetricStore,
  RollupStore,
  SAFETY_MS,
  WINDOW_MS,
  windowItems,
  windowOf,
} from '@vigil/dynamo';
import { ingestSeries } from '../packages/functions/src/metrics/write';
import { nabSeries, nodeExporterScrapes } from './metrics/data';
import { cpu, ingestThroughput } from './metrics/ingest';
import { rangeQueries } from './metrics/range';
import { useTable } from './metrics/table';

const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-11-01T00:00:00Z');

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
        await compactSegments(store, rollups, at(i));
      });
      compactions++;
    }
  }
  // The scheduled runs that close the last window, once its grace period is over.
  const closed = windowOf(at(requests.length - 1)) + WINDOW_MS + GRACE_MS + SAFETY_MS;
  for (let now = at(requests.length - 1) + 300_000; now <= closed + 300_000; now += 300_000) {
    compactCpuMs += await cpu(async () => {
      await compactSegments(store, rollups, now);
    });
    compactions++;
  }
  return { table, store, rollups, samples, ingestCpuMs, compactCpuMs, compactions };
}

const PREFIXES = { raw: 'MB#', rollups: 'MR', index: 'SERIES', segments: 'SEG#' };

/** Bytes kept per sample, by kind: packed blocks, rollups, series index; segments expire. */
/**
 * `lifetimeSamples`: samples a series sends over its life, to spread its one-off index items
 * over (a node_exporter series lives far longer than the 2 hours ingested here).
 */
function storedBytes(items: Item[], samples: number, series: number, lifetimeSamples: number) {
  const sum = { rawPayload: 0, raw: 0, rollups: 0, index: 0, segments: 0 };
  const rollupKinds: Record<string, number> = {};
  for (const item of items) {
    const pk = String(item.PK);
    const size = itemBytes(item);
    if (pk.startsWith(PREFIXES.raw)) {
      sum.raw += size;
      sum.rawPayload += (item.data as Uint8Array).byteLength;
    } else if (pk.startsWith(PREFIXES.rollups)) {
      sum.rollups += size;
      const kind = pk.split('#')[0];
      rollupKinds[kind] = (rollupKinds[kind] ?? 0) + size;
    } else if (pk.startsWith(PREFIXES.segments)) sum.segments += size;
    else if (pk !== 'COMPACTION') sum.index += size;
  }
  const r = (n: number) => Math.round((n / samples) * 1000) / 1000;
  return {
    samples,
    blockPayloadBytesPerSample: r(sum.rawPayload),
    blockItemBytesPerSample: r(sum.raw),
    rollupBytesPerSample: r(sum.rollups),
    /** 5m (MR5, 15m merged from it), 1h (MRH, 1d merged from it) */
    rollupBytesPerSampleByKind: Object.fromEntries(Object.entries(rollupKinds).map(([k, v]) => [k, r(v)])),
    indexBytesPerSample: r(sum.index),
    indexBytesPerSeries: Math.round(sum.index / series),
    /** What stays after compaction: blocks, rollups and index, whole items. */
    bytesPerSample: r(sum.raw + sum.rollups + sum.index),
    /** The same with each series' index items spread over its lifetime's samples. */
    bytesPerSampleIndexAmortized: r(
      sum.raw + sum.rollups + (sum.index / series) * (samples / lifetimeSamples),
    ),
    segmentBytesPerSample: r(sum.segments),
  };
}

/** Every item of a memory table (read without charging). */
async function everything(table: MemoryTableStore): Promise<Item[]> {
  return [...(table as unknown as { items: Map<string, Item> }).items.values()];
}

const NODE_SERIES = 2000;
const NODE_SCRAPES = 480;

async function nodeExporter() {
  // 2000 series scraped every 15 s for 2 h; each scrape reaches us as one remote-write request
  // of 2000 samples (Prometheus's max_samples_per_send); compaction every 5 min, as scheduled.
  const scrapes = nodeExporterScrapes(NODE_SERIES, NODE_SCRAPES, T0);
  const run = await ingestAndCompact(scrapes, 20, (i) => T0 + i * 15_000 + 500);
  // A node_exporter series lives at least as long as raw samples are kept: 15 days of scrapes.
  const lifetime = (15 * 86_400_000) / 15_000;
  return { run, bytes: storedBytes(await everything(run.table), run.samples, NODE_SERIES, lifetime) };
}

/**
 * NAB: every file as one series, cut into the 2-hour windows compaction closes and packed
 * exactly as `compactSegments` packs them (blocks, 5m and 1h rollups), plus the index.
 * (Ingesting years of windows through the in-memory table would only measure its scans.)
 */
async function nab() {
  const table = useTable();
  const store = new MetricStore(table);
  const rollups = new RollupStore(table);
  const all = nabSeries();
  // Index the series as ingest does (each gets its number).
  await store.write(
    all.map((s) => ({
      id: seriesId({ __name__: s.name, ...s.labels }),
      labels: { __name__: s.name, ...s.labels },
      samples: [s.samples[0] as [number, number]],
    })),
    0,
  );
  const found = await store.findSeries([{ name: '__name__', type: '=', value: 'nab_value' }]);
  const numOf = new Map(found.map((f) => [f.labels.file, f.num]));
  // group → window → num → samples
  const windows = new Map<number, Map<number, Map<number, Map<number, number>>>>();
  let samples = 0;
  for (const s of all) {
    const num = numOf.get(s.labels!.file)!;
    const group = Math.floor(num / 64);
    const byWindow = windows.get(group) ?? new Map();
    windows.set(group, byWindow);
    for (const [t, v] of s.samples as Array<[number, number]>) {
      const w = windowOf(t);
      const series = byWindow.get(w) ?? new Map();
      byWindow.set(w, series);
      const points = series.get(num) ?? new Map();
      series.set(num, points);
      points.set(t, v);
      samples++;
    }
  }
  const items: Item[] = (await everything(table)).filter((i) => String(i.PK).startsWith('SERIES#'));
  for (const [group, byWindow] of windows)
    for (const [w, series] of byWindow) items.push(...windowItems(rollups, group, w, series));
  // Each NAB file is the whole life of its series.
  return storedBytes(items, samples, all.length, samples / all.length);
}

function dollars(run: Awaited<ReturnType<typeof nodeExporter>>['run'], requests: number) {
  const { writeUnits, readUnits } = run.table.consumed();
  const per10M = 10_000_000 / run.samples;
  const gbSeconds =
    (run.ingestCpuMs / 1000) * prices.lambdaMemoryGb.ingest +
    (run.compactCpuMs / 1000) * prices.lambdaMemoryGb['compact-metrics'];
  const index = run.table.units.seriesIndex ?? { write: 0, read: 0 };
  const price = (write: number, read: number) => {
    const parts = {
      dynamoWrites: ((write * per10M) / 1e6) * prices.dynamodbWriteRequestUnitPerMillion,
      dynamoReads: ((read * per10M) / 1e6) * prices.dynamodbReadRequestUnitPerMillion,
      lambdaCompute: gbSeconds * per10M * prices.lambdaGbSecond,
      lambdaRequests: (((requests + run.compactions) * per10M) / 1e6) * prices.lambdaRequestPerMillion,
      apiGateway: ((requests * per10M) / 1e6) * prices.apiGatewayHttpRequestPerMillion,
    };
    return { parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
  };
  // Steady state: the series are already indexed (a series lives far longer than this run's
  // 2 hours); the run's own figure counts every series as new.
  const steady = price(writeUnits - index.write, readUnits - index.read);
  const allNew = price(writeUnits, readUnits);
  const round = (n: number) => Math.round(n * 1e5) / 1e5;
  const scale = (u: { write: number; read: number }) => ({
    write: Math.round(u.write * per10M),
    read: Math.round(u.read * per10M),
  });
  return {
    writeUnitsPer10M: Math.round((writeUnits - index.write) * per10M),
    readUnitsPer10M: Math.round((readUnits - index.read) * per10M),
    unitsPer10MByItem: Object.fromEntries(Object.entries(run.table.units).map(([k, u]) => [k, scale(u)])),
    lambdaGbSecondsPer10M: Math.round(gbSeconds * per10M * 100) / 100,
    parts: Object.fromEntries(Object.entries(steady.parts).map(([k, v]) => [k, round(v)])),
    dollarsPer10M: round(steady.total),
    dollarsPer10MIfEverySeriesLives2h: round(allNew.total),
    newSeriesWriteUnitsEach: Math.round((index.write / NODE_SERIES) * 100) / 100,
    ampDollarsPer10M: prices.ampIngestPer10MSamples,
    cheaperThanAmp: Math.round((prices.ampIngestPer10MSamples / steady.total) * 10) / 10,
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
  const ingest = await timed('ingest', () => ingestThroughput(T0));
  const node = await timed('node_exporter', nodeExporter);
  const cost = dollars(node.run, NODE_SCRAPES);
  const nabBytes = await timed('nab', nab);
  const range = await timed('range', () => rangeQueries(T0));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'metrics',
      ingest,
      bytesPerSample: { nodeExporter: node.bytes, nab: nabBytes, goal: 1.3, gorillaPaper: 1.37 },
      cost: {
        ...cost,
        goal: 0.045,
        shape: `${NODE_SERIES} series, 15 s scrapes for 2 h, one ${NODE_SERIES}-sample remote-write request per scrape, compaction every 5 min`,
      },
      range30d: range,
    })}\n`,
  );
}

await main();
