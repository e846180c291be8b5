export * from './schedule';
export * from './zoned';
