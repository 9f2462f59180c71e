export * from './languages.ts';
export * from './errors.ts';
export * from './roles.ts';
export * from './auth.schema.ts';
export * from './common.schema.ts';
export * from './clients.schema.ts';
export * from './facilities.schema.ts';
export * from './cases.schema.ts';
