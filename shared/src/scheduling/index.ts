export * from './common.schema.ts';
export * from './facilityAdmin.schema.ts';
export * from './availability.schema.ts';
export * from './consultations.schema.ts';
export * from './suggestions.schema.ts';
export * from './calendarFeed.schema.ts';
export * from './settings.schema.ts';
export * from './facilityConfirmation.schema.ts';
