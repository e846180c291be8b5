export * from './errors';
export * from './clock';
export type * from './ports/index';
