export * from './people.schema.ts';
export * from './facilityContact.schema.ts';
export * from './webhookSettings.schema.ts';
export * from './audit.schema.ts';
