import type { Seed } from '../platform/seeds';

/** Default alerting content every deployment starts with. */
export const alertingSeeds: Seed[] = [];
