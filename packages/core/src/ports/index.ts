export type * from './table-store';
export type * from './publisher';
