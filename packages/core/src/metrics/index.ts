export * from './gorilla';
export * from './rollup';
export * from './series';
export * from './sketch';
