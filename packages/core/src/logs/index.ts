export * from './bloom';
export * from './query';
export * from './record';
