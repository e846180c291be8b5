export * from './clock';
export * from './errors';
export type * from './ports/index';
export * from './sorted';
