export * from './detector';
export * from './nab-score';
