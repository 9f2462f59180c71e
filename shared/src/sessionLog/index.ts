export * from './events.schema.ts';
