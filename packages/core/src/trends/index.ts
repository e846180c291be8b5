/** Trends, forecasts, comparisons, benchmarks and anomaly scores over plain number series. Pure. */
export * from './benchmark';
export * from './compare';
export * from './forecast';
export * from './linear';
export * from './series-forecast';
