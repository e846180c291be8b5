export * from './clock';
export * from './runtime';
export * from './sns/emulator';
export * from './sns/filter-policy';
export * from './warnings';
