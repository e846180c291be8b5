export * from './platform/context';
export * from './platform/observability';
export * from './platform/seeds';
export * from './jobs/toolkit';
export * from './http/toolkit/index';
