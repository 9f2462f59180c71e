export * from './routing.schema.ts';
export * from './routing.ts';
