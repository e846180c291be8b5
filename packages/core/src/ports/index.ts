export type * from './publisher';
export type * from './table-store';
