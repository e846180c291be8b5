export * from './chunks';
export * from './compact';
export * from './index-chunks';
export * from './store';
export type { StreamCount } from './stream-counts';
export * from './tail';
