import type { CallTicket } from '@parley/shared';
import { api } from '../api/http.ts';

/** A fresh ticket for a signed-in participant; every (re)join uses a new one. */
export function fetchCallTicket(consultationId: string): Promise<CallTicket> {
  return api<CallTicket>(`/calls/${consultationId}/ticket`, { method: 'POST' });
}
