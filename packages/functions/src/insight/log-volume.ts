import { logStore } from '../logs/ingest';
import { platform } from '../platform/context';
import type { Finding } from './summary';

const DAY = 86_400_000;
/** Services logging fewer records than this in a day are too small to call a jump. */
const MIN_RECORDS = 1000;

type Totals = Record<string, { records: number; bytes: number }>;

/**
 * Records each service's cumulative log volume (records and bytes since it first logged) for
 * the day of `at`, so that daily volumes can be told apart later. The daily report job calls it.
 */
export async function snapshotLogVolume(at: number): Promise<void> {
  const services: Totals = {};
  for (const s of await logStore().streamTotals()) {
    const t = services[s.service] ?? { records: 0, bytes: 0 };
    services[s.service] = { records: t.records + s.records, bytes: t.bytes + s.bytes };
  }
  await platform().tables.state.put({
    PK: 'LOGVOLUME',
    SK: new Date(at).toISOString().slice(0, 10),
    services,
    expiresAt: Math.floor(at / 1000) + 40 * 86_400,
  });
}

/**
 * Services whose log volume on the last snapshot day at least doubled against their daily
 * average over up to a week before it. Needs three daily snapshots.
 */
export async function logVolumeFindings(): Promise<Finding[]> {
  const page = await platform().tables.state.query({ pk: 'LOGVOLUME', limit: 9, reverse: true });
  const snaps = page.items.map((i) => ({ day: Date.parse(String(i.SK)), services: i.services as Totals }));
  if (snaps.length < 3) return [];
  const [latest, previous] = snaps;
  const oldest = snaps[snaps.length - 1];
  const days = (previous.day - oldest.day) / DAY;
  if (days < 1 || latest.day - previous.day !== DAY) return [];
  const out: Finding[] = [];
  for (const [service, now] of Object.entries(latest.services ?? {})) {
    const before = previous.services?.[service];
    const start = oldest.services?.[service];
    if (!before || !start) continue;
    const lastDay = now.records - before.records;
    const perDay = (before.records - start.records) / days;
    if (lastDay < MIN_RECORDS || perDay <= 0 || lastDay < 2 * perDay) continue;
    const ratio = lastDay / perDay;
    out.push({
      severity: ratio >= 4 ? 'medium' : 'low',
      title: `Log volume of ${service} is ${Math.round(ratio * 10) / 10}× its daily average: ${lastDay} records in the day to ${new Date(latest.day).toISOString().slice(0, 10)} against ${Math.round(perDay)} a day the week before`,
      recommendation:
        'A jump in logs usually means a new error loop or debug logging left on: look at its most frequent messages (GET /api/v1/logs/search) and fix or lower them; log storage is billed by volume.',
      numbers: {
        service,
        recordsLastDay: lastDay,
        recordsPerDayBefore: Math.round(perDay),
        bytesLastDay: now.bytes - before.bytes,
      },
    });
  }
  return out;
}
