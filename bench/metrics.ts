/**
 * Metrics benchmark, one JSON line:
 * - ingest: CPU throughput of the OTLP ingest path (parse, translate, validate, encode, store in
 *   memory) vs bare JSON.parse of the same payload — goal ≥ 0.5×;
 * - bytes per sample kept after compaction (packed blocks, rollups and index as whole DynamoDB
 *   items; the block payload alone too) on node_exporter-like data and on the NAB series — goal ≤ 1.3 B;
 * - dollars per 10 M samples ingested and compacted, from the table's consumed units, measured
 *   Lambda CPU time and bench/prices.json — goal ≤ $0.045 (AMP: $0.90);
 * - a 30-day range read of one series and of 5 series, from 1h rollups vs raw samples.
 */
import { readFileSync } from 'node:fs';
import type { SeriesInput } from '@vigil/core/events';
import { seriesId } from '@vigil/core/metrics';
import type { Item, ItemKey, Page, Query, Tables } from '@vigil/core/ports';
import {
  compactSegments,
  GRACE_MS,
  itemBytes,
  MemoryTableStore,
  MetricStore,
  RollupStore,
  readUnits,
  SAFETY_MS,
  WINDOW_MS,
  windowItems,
  windowOf,
  writeUnits,
} from '@vigil/dynamo';
import { ingestSeries } from '../packages/functions/src/metrics/write';
import { configurePlatform } from '../packages/functions/src/platform/context';
import { nabSeries, nodeExporterScrapes } from './metrics/data';
import { cpu, ingestThroughput } from './metrics/ingest';

const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-11-01T00:00:00Z');

/** What the metrics table's items are, by partition key. */
function category(pk: unknown): string {
  const k = String(pk);
  if (k.startsWith('SEGWIN')) return 'windowMarkers';
  if (k.startsWith('SEG#')) return 'segments';
  if (k.startsWith('MB#')) return 'blocks';
  if (k.startsWith('MR')) return 'rollups';
  if (k === 'COMPACTION') return 'compactionState';
  return 'seriesIndex';
}

/** The in-memory table, also telling which kind of item each unit was charged for. */
class AttributingTable extends MemoryTableStore {
  readonly units: Record<string, { write: number; read: number }> = {};

  private charge(pk: unknown, kind: 'write' | 'read', units: number): void {
    const c = category(pk);
    this.units[c] ??= { write: 0, read: 0 };
    this.units[c][kind] += units;
  }

  override async put(item: Item, options?: Parameters<MemoryTableStore['put']>[1]): Promise<void> {
    await super.put(item, options);
    this.charge(item.PK, 'write', writeUnits(itemBytes(item)));
  }

  override async increment(key: ItemKey, counters: Record<string, number>, set?: Item): Promise<Item> {
    const out = await super.increment(key, counters, set);
    this.charge(key.PK, 'write', writeUnits(itemBytes(out)));
    return out;
  }

  override async get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined> {
    const out = await super.get(key, options);
    this.charge(key.PK, 'read', readUnits(out ? itemBytes(out) : 1, options?.consistent));
    return out;
  }

  override async query(query: Query): Promise<Page> {
    const out = await super.query(query);
    const bytes = out.items.reduce((n, i) => n + itemBytes(i), 0);
    this.charge(query.pk, 'read', readUnits(bytes, query.consistent));
    return out;
  }
}

function useTable(): AttributingTable {
  const metrics = new AttributingTable('metrics');
  configurePlatform({
    tables: {
      metrics,
      state: new MemoryTableStore('state'),
      logs: new MemoryTableStore('logs'),
    } as unknown as Tables,
  });
  return metrics;
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

async function rangeQueries() {
  // 5 series at 60 s for 30 days, each window ingested while open and compacted when closed;
  // then one series and all 5, raw vs 1h rollups.
  const table = useTable();
  const store = new MetricStore(table);
  const rollups = new RollupStore(table);
  const minutes = 30 * 1440;
  const series = 5;
  const perWindow = WINDOW_MS / 60_000;
  for (let w = 0; w < minutes / perWindow; w++) {
    const start = T0 + w * WINDOW_MS;
    const batch = Array.from({ length: series }, (_, i) => {
      const labels = { __name__: 'bench_latency', pod: `p${i}` };
      return {
        id: seriesId(labels),
        labels,
        samples: Array.from(
          { length: perWindow },
          (_, m) => [start + m * 60_000, (i + w * perWindow + m) % 97] as [number, number],
        ),
      };
    });
    await store.write(batch, start);
    await compactSegments(store, rollups, start + WINDOW_MS + GRACE_MS + SAFETY_MS);
  }
  const end = T0 + minutes * 60_000;
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return Math.round(performance.now() - started);
  };
  const pods = Array.from({ length: series }, (_, i) => `p${i}`);
  const raw = async (which: string[]) => {
    for (const pod of which) {
      const found = await store.select([{ name: 'pod', type: '=', value: pod }], T0, end);
      if (found[0]?.ts.length !== minutes)
        throw new Error(`raw read of ${pod}: ${found[0]?.ts.length} samples`);
    }
  };
  const fromRollups = async (which: string[]) => {
    for (const pod of which) {
      const [s] = await store.findSeries([
        { name: '__name__', type: '=', value: 'bench_latency' },
        { name: 'pod', type: '=', value: pod },
      ]);
      if ((await rollups.read('1h', s, T0, end)).length !== 720) throw new Error('rollups missing');
    }
  };
  return {
    oneSeriesRawMs: await time(() => raw(pods.slice(0, 1))),
    oneSeriesRollupMs: await time(() => fromRollups(pods.slice(0, 1))),
    allSeriesRawMs: await time(() => raw(pods)),
    allSeriesRollupMs: await time(() => fromRollups(pods)),
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
  const ingest = await timed('ingest', () => ingestThroughput(T0));
  const node = await timed('node_exporter', nodeExporter);
  const cost = dollars(node.run, NODE_SCRAPES);
  const nabBytes = await timed('nab', nab);
  const range = await timed('range', rangeQueries);
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
