export * from './exposition';
export * from './otlp';
