import { z } from 'zod';

export const ROLES = ['ADMIN', 'STAFF', 'ATTORNEY', 'INTERPRETER'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Roles that schedule and manage: staff-side screens. */
export const STAFF_ROLES: readonly Role[] = ['ADMIN', 'STAFF'];
