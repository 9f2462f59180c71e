export * from './events.schema.ts';
export * from './chain.schema.ts';
