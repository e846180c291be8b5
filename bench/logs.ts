/**
 * Log search over the six Loghub samples (12,000 lines) stored as Vigil chunks, against
 * `grep -F -i -c` over the same raw files, for the same substrings. Prints one JSON line with
 * both times, the chunks the search skipped, and that the counts agree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecord } from '@vigil/core/logs';
import { LogStore, MemoryTableStore } from '@vigil/dynamo';

const data = new URL('../../shared/datasets/loghub/', import.meta.url).pathname;
const systems = ['Apache', 'HDFS', 'Linux', 'OpenSSH', 'Spark', 'Zookeeper'];
const files = systems.map((s) => join(data, s, `${s}_2k.log`));
const store = new LogStore(new MemoryTableStore('logs'));
const T0 = Date.parse('2026-11-20T00:00:00Z');
let n = 0;
for (const [s, file] of files.entries()) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
  const records: LogRecord[] = lines.map((message, i) => ({
    timestamp: new Date(T0 + i * 1000).toISOString(),
    level: 'info',
    service: systems[s],
    message,
    source: 'bench',
    attributes: {},
  }));
  n += records.length;
  await store.write(records, T0);
}
const terms = [
  'blk_-8775602795571523802',
  'PacketResponder',
  'Failed password',
  'authentication failure',
  'Notification time out',
  'MemoryStore',
  'error state',
  'no-such-string-anywhere',
];
const query = (text: string) => ({ text: [text], fields: [], start: T0 - 1, end: T0 + 3_600_000 });

let vigilMs = 0;
let grepMs = 0;
let skipped = 0;
let read = 0;
let agree = true;
for (let round = 0; round < 3; round++) {
  for (const term of terms) {
    let t = performance.now();
    const { records, stats } = await store.search(query(term));
    vigilMs += performance.now() - t;
    skipped += stats.chunksSkipped;
    read += stats.chunksRead;
    t = performance.now();
    let count = 0;
    try {
      count = execFileSync('grep', ['-F', '-i', '-c', '-h', term, ...files], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .reduce((a, x) => a + Number(x), 0);
    } catch (error) {
      count = String((error as { stdout?: string }).stdout ?? '0')
        .trim()
        .split('\n')
        .reduce((a, x) => a + Number(x || 0), 0);
    }
    grepMs += performance.now() - t;
    if (count !== records.length) agree = false;
  }
}
console.log(
  JSON.stringify({
    bench: 'logs',
    what: `substring search over ${n} Loghub lines in gzip chunks vs grep -F -i -c over the raw files`,
    searches: terms.length * 3,
    vigilMsPerSearch: Math.round((vigilMs / (terms.length * 3)) * 10) / 10,
    baseline: { grepMsPerSearch: Math.round((grepMs / (terms.length * 3)) * 10) / 10 },
    ratioToGrep: Math.round((vigilMs / grepMs) * 100) / 100,
    chunksSkippedShare: Math.round((skipped / (skipped + read)) * 100) / 100,
    countsAgree: agree,
  }),
);
