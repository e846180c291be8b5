export * from './emf';
export * from './exposition';
export * from './otlp';
export * from './otlp-batch';
export * from './series-batch';
