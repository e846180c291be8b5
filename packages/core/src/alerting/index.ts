export * from './alert';
export * from './matchers';
export * from './notification-log';
export * from './routing';
export * from './rules';
export * from './silences';
