import { alertingSeeds } from '../seeds/alerting';
import { incidentsSeeds } from '../seeds/incidents';
import { insightSeeds } from '../seeds/insight';
import type { Platform } from './context';

/**
 * Default content every deployment starts with (rules, routing, runbooks, SLOs…). Each seed is
 * idempotent and never overwrites what a user changed. Domains add theirs to `SEEDS`.
 */
export interface Seed {
  name: string;
  run(platform: Platform): Promise<void>;
}

const SEEDS: Seed[] = [...alertingSeeds, ...incidentsSeeds, ...insightSeeds];

/** The marker `/health/startup` looks for. */
export const SEED_MARKER = { PK: 'SEED#defaults', SK: 'SEED' } as const;

/** Runs every seed, then records that the defaults are in place. */
export async function runSeeds(platform: Platform, seeds: Seed[] = SEEDS): Promise<string[]> {
  for (const seed of seeds) await seed.run(platform);
  await platform.tables.state.put({
    ...SEED_MARKER,
    seeds: seeds.map((s) => s.name),
    at: platform.clock.now(),
  });
  return seeds.map((s) => s.name);
}
