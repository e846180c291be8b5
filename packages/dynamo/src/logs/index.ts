export * from './store';
export * from './tail';
