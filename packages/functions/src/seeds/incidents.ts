import type { Seed } from '../platform/seeds';

/** Default incidents content every deployment starts with. */
export const incidentsSeeds: Seed[] = [];
