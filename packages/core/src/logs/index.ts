export * from './blocks';
export * from './bloom';
export * from './chunk';
export * from './chunk-scan';
export * from './query';
export * from './record';
export { isoMs, isoTimeMs } from './time';
