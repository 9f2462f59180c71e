export * from './routing.schema.ts';
export * from './routing.ts';
export * from './negotiation.schema.ts';
export * from './channels.schema.ts';
export * from './interpretation.schema.ts';
