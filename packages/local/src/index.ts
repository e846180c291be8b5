export * from './runtime';
export * from './sns/filter-policy';
export * from './sns/emulator';
export * from './clock';
export * from './warnings';
