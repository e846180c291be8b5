import type { Seed } from '../platform/seeds';

/** Default insight content every deployment starts with. */
export const insightSeeds: Seed[] = [];
