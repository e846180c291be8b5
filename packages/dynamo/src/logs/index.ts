export * from './chunks';
export * from './compact';
export * from './store';
export * from './tail';
