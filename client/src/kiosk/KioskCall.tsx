import { useCallback } from 'react';
import type { CallTicket, KioskSession, LanguageCode } from '@parley/shared';
import { CallRoom } from '../call/CallRoom.tsx';
import { joinFromKiosk } from './kioskApi.ts';

/** The client's side of the call on the facility tablet, in their language. */
export function KioskCall({
  session,
  ticket,
  seatToken,
  language,
  onDone,
}: {
  session: KioskSession;
  ticket: CallTicket;
  /** Proof from the first join that this tablet holds the client's seat: reconnections reuse it. */
  seatToken: string;
  language: LanguageCode;
  onDone: () => void;
}) {
  const consultationId = ticket.consultation.id;
  const getTicket = useCallback(
    () => joinFromKiosk(session, { consultationId, seatToken }),
    [session, consultationId, seatToken],
  );
  return (
    <CallRoom ticket={ticket} language={language} variant="kiosk" getTicket={getTicket} onDone={onDone} />
  );
}
