export * from './lifecycle';
export * from './markdown';
