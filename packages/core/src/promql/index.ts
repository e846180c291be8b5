export type * from './ast';
export * from './duration';
export * from './engine';
export * from './errors';
export { bucketQuantile } from './histogram';
export * from './labels';
export * from './parser';
export { quantile } from './range-functions';
export * from './values';
