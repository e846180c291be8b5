export * from './http/toolkit/index';
export * from './jobs/toolkit';
export * from './platform/context';
export * from './platform/observability';
export * from './platform/seeds';
