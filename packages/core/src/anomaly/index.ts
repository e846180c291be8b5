export * from './detector';
export * from './nab-score';
export * from './rolling-quantiles';
export * from './seasonal-baseline';
