export * from './metric-window';
export * from './repositories';
