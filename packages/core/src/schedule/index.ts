export * from './expression';
export * from './next';
