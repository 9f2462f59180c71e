import { useTranslation } from 'react-i18next';
import type { CallParticipantView } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import { useClientText } from '../i18n/clientText.ts';
import type { CallController } from './useCall.ts';
import './interpretation.css';
import './PauseRequest.css';

/**
 * "Please pause" (issue 17), on the speaker's screen: while an interpreter's request to them is
 * open, a large hand and the sentence in their language, and one button to say they are pausing.
 * The kiosk reads the client's catalog; the attorney's screen the staff one (English, Spanish).
 */
export function PauseRequestBanner({
  call,
  kiosk,
  language,
}: {
  call: CallController;
  kiosk: boolean;
  language: string;
}) {
  const clientT = useClientText(language);
  const { t: staffT } = useTranslation('staff');
  const me = call.participantId;
  const open = (call.state?.interpretation?.pauseRequests ?? []).find(
    (r) => r.toParticipantId === me && r.acknowledgedAt === null,
  );
  if (!open) return null;
  const sentence = kiosk ? clientT('pleasePause') : staffT('pause.pleasePause');
  const button = kiosk ? clientT('pauseAcknowledge') : staffT('pause.acknowledge');
  return (
    <div className={`pause-request${kiosk ? ' pause-request-kiosk' : ''}`} role="alert">
      <span className="pause-request-icon">
        <Icon name="hand" size={kiosk ? 96 : 40} />
      </span>
      <span className="pause-request-text">{sentence}</span>
      <button
        type="button"
        className="button primary call-big"
        onClick={() => void call.acknowledgePause(open.requestId).catch(() => undefined)}
      >
        {button}
      </button>
    </div>
  );
}

/**
 * The interpreter's side: ask the attorney or the client to pause (whoever is speaking is offered
 * first), and see whether they acknowledged it.
 */
export function PauseAsk({ call }: { call: CallController }) {
  const { t } = useTranslation('staff');
  const state = call.state;
  if (!state) return null;
  const speakers = state.participants.filter(
    (p: CallParticipantView) => (p.role === 'ATTORNEY' || p.role === 'CLIENT') && p.status !== 'left',
  );
  const nameOf = (id: string) => {
    const p = state.participants.find((x) => x.participantId === id);
    return p?.role === 'CLIENT' ? t('pause.theClient') : (p?.displayName ?? id);
  };
  // Whoever speaks now first: the one an interpreter most often needs to stop.
  const ordered = [...speakers].sort(
    (a, b) =>
      Number(b.participantId === state.activeSpeakerId) - Number(a.participantId === state.activeSpeakerId),
  );
  const mine = (state.interpretation?.pauseRequests ?? []).filter(
    (r) => r.fromParticipantId === call.participantId,
  );
  const latest = mine.at(-1);
  return (
    <div className="console-pause" role="group" aria-label={t('pause.title')}>
      {ordered.map((p) => (
        <button
          key={p.participantId}
          type="button"
          className="button call-big"
          onClick={() => void call.pleasePause(p.participantId).catch(() => undefined)}
        >
          <Icon name="hand" /> {t('pause.ask', { name: nameOf(p.participantId) })}
        </button>
      ))}
      {latest && (
        <p className="console-pause-state" role="status">
          {latest.acknowledgedAt
            ? t('pause.acknowledged', { name: nameOf(latest.toParticipantId) })
            : t('pause.waiting', { name: nameOf(latest.toParticipantId) })}
        </p>
      )}
    </div>
  );
}
