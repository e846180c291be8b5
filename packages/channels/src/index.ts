export * from './circuit';
export * from './formats';
export * from './http';
export * from './targets';
