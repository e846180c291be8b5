import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';
import { loghubFile, LOGHUB_SYSTEMS as SYSTEMS } from './datasets';

/**
 * The six Loghub samples (read from ../shared at test time, never copied into the repo),
 * ingested a line each as their systems would send them, then searched: every result must
 * equal a plain reference filter over the raw file, newest first.
 */
const T0 = Date.parse('2026-11-20T10:00:00Z');

/** The level each system's own line format states (Linux and OpenSSH syslog lines carry none: info). */
function levelOf(line: string): string {
  const m =
    /\b(INFO|WARN|WARNING|ERROR|FATAL|DEBUG|TRACE)\b/.exec(line) ??
    /\[(notice|error|warn|info|debug|crit)\]/.exec(line);
  const word = (m?.[1] ?? 'info').toLowerCase();
  return ({ warning: 'warn', notice: 'info', crit: 'fatal' } as Record<string, string>)[word] ?? word;
}

interface Line {
  system: string;
  message: string;
  level: string;
  t: number;
}

const RANK = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const lines: Line[] = SYSTEMS.flatMap((system, s) =>
  readFileSync(loghubFile(system), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((message, i) => ({ system, message, level: levelOf(message), t: T0 + s * 1000 + i * 6_000 })),
);

interface Search {
  name: string;
  params: Record<string, string | string[]>;
  keep: (l: Line) => boolean;
}

const S = (
  system: string,
  extra: Record<string, string | string[]>,
  keep: (l: Line) => boolean,
  name: string,
): Search => ({
  name: `${system}: ${name}`,
  params: { service: system, ...extra },
  keep: (l) => l.system === system && keep(l),
});
const has = (text: string) => (l: Line) => l.message.toLowerCase().includes(text.toLowerCase());
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const within = (a: number, b: number) => (l: Line) => l.t >= T0 + a * 60_000 && l.t <= T0 + b * 60_000;
const atLeast = (level: string) => (l: Line) => RANK.indexOf(l.level) >= RANK.indexOf(level);

const SEARCHES: Search[] = [
  S('Apache', { text: 'workerEnv' }, has('workerEnv'), 'substring'),
  S('Apache', { text: 'jk2_init() Found child' }, has('jk2_init() Found child'), 'phrase'),
  S('Apache', { level: 'error' }, atLeast('error'), 'level error'),
  S(
    'Apache',
    { regex: 'child \\d+ in scoreboard slot [0-9]$' },
    (l) => /child \d+ in scoreboard slot [0-9]$/.test(l.message),
    'regex',
  ),
  S(
    'Apache',
    { text: ['mod_jk', 'error state'], level: 'error' },
    (l) => has('mod_jk')(l) && has('error state')(l) && atLeast('error')(l),
    'two terms + level',
  ),
  S('HDFS', { text: 'blk_-8775602795571523802' }, has('blk_-8775602795571523802'), 'block id'),
  S('HDFS', { text: 'PacketResponder' }, has('PacketResponder'), 'word'),
  // Terms with token keys (8 characters after a separator): blocks lacking them are skipped.
  S(
    'HDFS',
    { text: 'serving blk_424461424221613461 to' },
    has('serving blk_424461424221613461 to'),
    'block id with its words',
  ),
  S(
    'Zookeeper',
    { text: 'QuorumCnxManager$Listener@493' },
    has('QuorumCnxManager$Listener@493'),
    'class and line',
  ),
  S(
    'Spark',
    { text: 'executor.Executor: Running task 14.0' },
    has('executor.Executor: Running task 14.0'),
    'keyed phrase',
  ),
  S(
    'OpenSSH',
    { text: 'getaddrinfo for CUSTOMER-187' },
    has('getaddrinfo for CUSTOMER-187'),
    'keyed upper case',
  ),
  S('HDFS', { level: 'warn' }, atLeast('warn'), 'level warn'),
  S(
    'HDFS',
    { text: 'served block', start: at(30), end: at(120) },
    (l) => has('served block')(l) && within(30, 120)(l),
    'case-insensitive in a window',
  ),
  S('HDFS', { regex: '10\\.251\\.7\\d\\.\\d+' }, (l) => /10\.251\.7\d\.\d+/.test(l.message), 'regex ip'),
  S(
    'HDFS',
    { text: 'addStoredBlock', start: at(0), end: at(60) },
    (l) => has('addStoredBlock')(l) && within(0, 60)(l),
    'term in first hour',
  ),
  S('Linux', { text: 'authentication failure' }, has('authentication failure'), 'phrase'),
  S('Linux', { text: 'rhost=' }, has('rhost='), 'symbol'),
  S(
    'Linux',
    { regex: 'session (opened|closed) for user root' },
    (l) => /session (opened|closed) for user root/.test(l.message),
    'regex alternation',
  ),
  S(
    'Linux',
    { text: 'ftpd', start: at(100), end: at(200) },
    (l) => has('ftpd')(l) && within(100, 200)(l),
    'window',
  ),
  S(
    'Linux',
    { text: ['check pass', 'unknown'] },
    (l) => has('check pass')(l) && has('unknown')(l),
    'two terms',
  ),
  S('OpenSSH', { text: 'Failed password' }, has('Failed password'), 'phrase'),
  S('OpenSSH', { text: 'POSSIBLE BREAK-IN' }, has('POSSIBLE BREAK-IN'), 'upper case'),
  S(
    'OpenSSH',
    { regex: 'Invalid user \\w+ from 173\\.' },
    (l) => /Invalid user \w+ from 173\./.test(l.message),
    'regex',
  ),
  S(
    'OpenSSH',
    { text: 'Connection closed by', start: at(10), end: at(150) },
    (l) => has('Connection closed by')(l) && within(10, 150)(l),
    'window',
  ),
  S(
    'OpenSSH',
    { text: ['received disconnect', 'bye bye'] },
    (l) => has('received disconnect')(l) && has('bye bye')(l),
    'two terms',
  ),
  S('Spark', { text: 'BlockManager' }, has('BlockManager'), 'class name'),
  S(
    'Spark',
    { level: 'info', text: 'Finished task' },
    (l) => atLeast('info')(l) && has('Finished task')(l),
    'level + text',
  ),
  S(
    'Spark',
    { text: 'MemoryStore', regex: 'KB\\)$' },
    (l) => has('MemoryStore')(l) && /KB\)$/.test(l.message),
    'text + regex',
  ),
  S('Spark', { regex: 'TID \\d{2}\\)' }, (l) => /TID \d{2}\)/.test(l.message), 'regex'),
  S(
    'Spark',
    { text: 'broadcast', start: at(60), end: at(150) },
    (l) => has('broadcast')(l) && within(60, 150)(l),
    'window',
  ),
  S('Zookeeper', { text: 'Notification time out' }, has('Notification time out'), 'phrase'),
  S('Zookeeper', { level: 'warn' }, atLeast('warn'), 'level warn'),
  S('Zookeeper', { level: 'error' }, atLeast('error'), 'level error'),
  S('Zookeeper', { regex: 'myid=[23]' }, (l) => /myid=[23]/.test(l.message), 'regex'),
  S(
    'Zookeeper',
    { text: 'connection', level: 'warn', start: at(0), end: at(120) },
    (l) => has('connection')(l) && atLeast('warn')(l) && within(0, 120)(l),
    'term + level + window',
  ),
  { name: 'all systems: "error"', params: { text: 'error' }, keep: has('error') },
  { name: 'all systems: level warn', params: { level: 'warn' }, keep: atLeast('warn') },
];

// Twice: as ingest writes chunks (no token filters yet: searches read them whole) and once the
// index-logs job has given them their filters (searches skip what cannot match).
describe.each([
  ['as ingest wrote them', false],
  ['indexed by the index-logs job', true],
])('log search over the Loghub samples, chunks %s', (_, indexed) => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setClock(T0 + 4 * 3_600_000);
    for (const system of SYSTEMS) {
      const records = lines
        .filter((l) => l.system === system)
        .map((l) => ({
          timestamp: new Date(l.t).toISOString(),
          level: l.level,
          service: system,
          message: l.message,
        }));
      const res = await rt.api('POST', '/api/v1/logs', records);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      expect(res.body).toMatchObject({ accepted: records.length, rejected: 0 });
    }
    if (indexed) await rt.runJob('index-logs');
  }, 120_000);
  afterAll(() => rt.cleanup());

  it.each(SEARCHES.map((s) => [s.name, s] as const))('%s equals the reference filter', async (_, search) => {
    const params = new URLSearchParams({ start: at(-10), end: at(400), limit: '5000' });
    for (const [k, v] of Object.entries(search.params)) {
      if (k === 'start' || k === 'end') params.set(k, v as string);
      else for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    }
    const res = await rt.api('GET', `/api/v1/logs/search?${params}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const want = lines.filter(search.keep).sort((a, b) => b.t - a.t);
    expect(want.length, 'the reference finds something').toBeGreaterThan(0);
    const got = res.body.records as Array<{ message: string; timestamp: string; service: string }>;
    expect(got.map((r) => `${r.timestamp} ${r.message}`)).toEqual(
      want.map((l) => `${new Date(l.t).toISOString()} ${l.message}`),
    );
  });

  it('skips chunks that cannot match once indexed, and says how many it read', async () => {
    const res = await rt.api(
      'GET',
      `/api/v1/logs/search?text=${encodeURIComponent('blk_-8775602795571523802')}&start=${at(-10)}&end=${at(400)}`,
    );
    expect(res.body.records.length).toBe(
      lines.filter((l) => l.message.includes('blk_-8775602795571523802')).length,
    );
    if (!indexed) {
      expect(res.body.stats.chunksSkipped).toBe(0);
      return;
    }
    expect(res.body.stats.chunksSkipped).toBeGreaterThan(0);
    expect(res.body.stats.chunksRead).toBeLessThan(res.body.stats.chunksRead + res.body.stats.chunksSkipped);
  });

  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: any } = await rt.api(
        'GET',
        `/api/v1/logs/search?service=HDFS&start=${at(-10)}&end=${at(400)}&limit=700${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.records.map((r: { timestamp: string }) => r.timestamp));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(2000);
    expect(new Set(seen).size).toBe(2000);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('lists streams with counts and serves the level histogram', async () => {
    const streams = (await rt.api('GET', '/api/v1/logs/streams')).body.streams;
    expect(
      streams
        .filter((s: { service: string }) => s.service === 'Spark')
        .reduce((n: number, s: { records: number }) => n + s.records, 0),
    ).toBe(2000);
    const hist = await rt.api(
      'GET',
      `/api/v1/logs/histogram?service=Zookeeper&start=${at(0)}&end=${at(240)}&buckets=4`,
    );
    const total = hist.body.buckets.reduce(
      (n: number, b: { counts: Record<string, number> }) =>
        n + Object.values(b.counts).reduce((a, c) => a + c, 0),
      0,
    );
    expect(total).toBe(lines.filter((l) => l.system === 'Zookeeper' && within(0, 240)(l)).length);
  });
});
