export * from './table-store';
export * from './memory-table-store';
export * from './repository';
export * from './schema';
export * from './cursor';
export * from './capacity';
export * from './api-keys';
export * from './metrics/index';
