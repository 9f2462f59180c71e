import { useCallback } from 'react';
import type { CallTicket, KioskSession, LanguageCode } from '@parley/shared';
import { CallRoom } from '../call/CallRoom.tsx';
import { joinFromKiosk } from './kioskApi.ts';

/** The client's side of the call on the facility tablet, in their language. */
export function KioskCall({
  session,
  ticket,
  language,
  onDone,
}: {
  session: KioskSession;
  ticket: CallTicket;
  language: LanguageCode;
  onDone: () => void;
}) {
  const consultationId = ticket.consultation.id;
  const getTicket = useCallback(() => joinFromKiosk(session, { consultationId }), [session, consultationId]);
  return (
    <CallRoom ticket={ticket} language={language} variant="kiosk" getTicket={getTicket} onDone={onDone} />
  );
}
