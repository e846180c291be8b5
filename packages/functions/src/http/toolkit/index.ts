export * from './handler';
export * from './idempotency';
export * from './parse';
export * from './problem';
export * from './route';
export type * from './types';
