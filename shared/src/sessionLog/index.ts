export * from './events.schema.ts';
export * from './chain.schema.ts';
export * from './summary.schema.ts';
export * from './caseRecord.schema.ts';
export * from './exports.schema.ts';
export * from './attestation.schema.ts';
