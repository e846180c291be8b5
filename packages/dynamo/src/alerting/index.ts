export * from './repositories';
