export * from './handler';
export * from './route';
export * from './problem';
export * from './parse';
export * from './idempotency';
export type * from './types';
