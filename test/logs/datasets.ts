import { join } from 'node:path';

/**
 * The shared datasets live beside the project (../shared/datasets), never inside it;
 * VIGIL_DATASETS points elsewhere when the checkout sits somewhere else.
 */
export const DATASETS =
  process.env.VIGIL_DATASETS ?? new URL('../../../shared/datasets/', import.meta.url).pathname;
export const LOGHUB = join(DATASETS, 'loghub');
export const LOGHUB_SYSTEMS = ['Apache', 'HDFS', 'Linux', 'OpenSSH', 'Spark', 'Zookeeper'] as const;
export const loghubFile = (system: string) => join(LOGHUB, system, `${system}_2k.log`);
