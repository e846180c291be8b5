import { platform } from '../platform/context';

export interface UsageRow {
  day: string;
  keyId: string;
  route: string;
  status: string;
  count: number;
}

/** Counts summed by a key, largest first. */
function totals(rows: UsageRow[], by: (r: UsageRow) => string): Array<[string, number]> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(by(r), (sums.get(by(r)) ?? 0) + r.count);
  return [...sums.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

/**
 * Vigil's own API usage over the last `days` UTC days (today included), from the per-day
 * counters the request observer keeps: totals per key, route, status and day, active keys and
 * the top endpoints.
 */
export async function usage(now: number, days: number) {
  const rows: UsageRow[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(now - d * 86_400_000).toISOString().slice(0, 10);
    let cursor: string | null = null;
    do {
      const page = await platform().tables.state.query({ pk: `USAGE#${day}`, limit: 1000, cursor });
      rows.push(
        ...page.items.map((i) => ({
          day,
          keyId: String(i.keyId),
          route: String(i.route),
          status: String(i.status),
          count: Number(i.count),
        })),
      );
      cursor = page.cursor;
    } while (cursor);
  }
  return {
    days,
    requests: rows.reduce((n, r) => n + r.count, 0),
    activeKeys: new Set(rows.filter((r) => r.keyId !== 'anonymous').map((r) => r.keyId)).size,
    topEndpoints: totals(rows, (r) => r.route).slice(0, 10),
    byKey: totals(rows, (r) => r.keyId),
    byDay: totals(rows, (r) => r.day),
    byStatus: totals(rows, (r) => r.status),
  };
}

export type Usage = Awaited<ReturnType<typeof usage>>;
