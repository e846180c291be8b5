export * from './block';
export * from './bucket-codec';
export * from './bytes';
export * from './gorilla';
export * from './rollup';
export * from './series';
export * from './sketch';
export * from './values';
