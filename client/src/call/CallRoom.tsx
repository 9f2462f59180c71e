import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findLanguage, type CallParticipantView, type CallTicket, type LanguageCode } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import { useClientText, type ClientStringKey, type ClientTextVars } from '../i18n/clientText.ts';
import type enCall from '../i18n/locales/en/call.json';
import type enErrors from '../i18n/locales/en/errors.json';
import { SpokenPrompt } from '../kiosk/SpokenPrompt.tsx';
import type { CallDetails } from './CallDetails.ts';
import { NO_ANSWER } from './callRecovery.ts';
import { CallHeader } from './CallHeader.tsx';
import { DeviceToggle } from './DeviceToggle.tsx';
import { EndedScreen, LeftScreen } from './EndedScreen.tsx';
import { InterpreterConsole } from './InterpreterConsole.tsx';
import { isOnThePhone, OnThePhone } from './OnThePhone.tsx';
import { OriginalLevel } from './OriginalLevel.tsx';
import { PauseRequestBanner } from './PauseRequest.tsx';
import { PhonePanel } from './PhonePanel.tsx';
import {
  useCall,
  type CallController,
  type CallDevices,
  type CallFailure,
  type CallPhase,
} from './useCall.ts';

export type CallVariant = 'kiosk' | 'participant';

const ENGLISH: LanguageCode = 'en';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function remaining(endsAt: string | undefined, now: number): { minutes: number; label: string } | null {
  if (!endsAt) return null;
  const ms = Math.max(0, new Date(endsAt).getTime() - now);
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return { minutes, label: `${minutes}:${String(seconds).padStart(2, '0')}` };
}

function VideoTile({ stream, muted }: { stream: MediaStream; muted?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} autoPlay playsInline muted={muted ?? true} className="tile-video" />;
}

/**
 * A sentence both sides of the call show: the kiosk reads it from `client` in the client's
 * language, the attorney, interpreter and staff from `call` (`room.*`) in their own.
 */
export type RoomTextKey = keyof (typeof enCall)['room'] & ClientStringKey;
export type RoomText = (key: RoomTextKey, vars?: ClientTextVars) => string;
type ErrorKey = keyof typeof enErrors;

const ROLE_KEY: Record<string, ClientStringKey | null> = {
  ATTORNEY: 'lawyer',
  INTERPRETER: 'interpreter',
  CLIENT: null,
  STAFF: null,
};

/**
 * The call screen for everyone: the client's kiosk (their language, big buttons, little text) and
 * the attorney's, interpreter's and staff member's browsers, each with their own controls.
 */
export function CallRoom({
  ticket,
  language,
  variant,
  getTicket,
  onDone,
  onPhase,
  devices,
  details = null,
}: {
  ticket: CallTicket;
  language: LanguageCode;
  variant: CallVariant;
  getTicket: () => Promise<CallTicket>;
  onDone: () => void;
  /** Told each phase the call reaches (the page forgets "in this call" once the person is out). */
  onPhase?: (phase: CallPhase) => void;
  /** The microphone and speaker chosen before joining. */
  devices?: CallDevices;
  /** The case and who is expected, for the attorney's, interpreter's and staff member's header. */
  details?: CallDetails | null;
}) {
  const call = useCall(ticket, getTicket, devices);
  // The kiosk's own sentences; the participant variant reads only `call` (through `room` and callT).
  const t = useClientText(variant === 'kiosk' ? language : ENGLISH);
  const { t: callT, i18n } = useTranslation('call');
  const room = useMemo<RoomText>(
    () => (variant === 'kiosk' ? t : (key, vars) => callT(`room.${key}`, vars ?? {})),
    [variant, t, callT],
  );
  const shownIn = variant === 'kiosk' ? language : i18n.language;
  const { t: errorT } = useTranslation('errors');
  /** Why the call could not go on: this browser's own failures from `call`, the server's by code. */
  const failureText = (failure: CallFailure): string => {
    if (failure.code === 'MEDIA_DENIED') return callT('failure.MEDIA_DENIED');
    // The server out of reach, or silent past its time to answer (callRecovery's NO_ANSWER).
    if (failure.code === 'NETWORK' || (failure.code as string) === NO_ANSWER) return callT('failure.NETWORK');
    return errorT(failure.code as ErrorKey, { context: 'call', defaultValue: failure.message });
  };
  const direction = variant === 'kiosk' ? (findLanguage(language)?.direction ?? 'ltr') : 'ltr';
  const now = useNow(1000);
  const left = remaining(call.state?.endsAt, now);
  const role = ticket.participant.role;
  const me = call.participantId;
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  useEffect(() => onPhase?.(call.phase), [call.phase, onPhase]);

  if (call.phase === 'ended' && variant === 'participant') {
    return <EndedScreen reason={call.endedReason} role={role} details={details} onDone={onDone} />;
  }

  if (call.phase === 'left') {
    return (
      <div className={`call call-${variant}`} lang={shownIn} dir={direction}>
        <LeftScreen
          title={room('youLeft')}
          hint={room('youCanRejoin')}
          rejoinLabel={room('join')}
          backLabel={variant === 'kiosk' ? `← ${t('back')}` : callT('backToSchedule')}
          onRejoin={() => {
            setConfirmLeave(false);
            call.rejoin();
          }}
          onDone={onDone}
        />
      </div>
    );
  }

  if (call.phase === 'ended') {
    return (
      <div className={`call call-${variant}`} lang={shownIn} dir={direction}>
        <div className="call-ended" role="status">
          <p className="call-ended-title">{t('callEnded')}</p>
          <button type="button" className="button primary call-big" onClick={onDone}>
            ← {t('back')}
          </button>
        </div>
      </div>
    );
  }

  if (call.phase === 'replaced') {
    // The same person opened the call elsewhere. The kiosk: a picture, one line, one big button.
    return variant === 'kiosk' ? (
      <div className="call call-kiosk" lang={language} dir={direction}>
        <div className="call-ended call-replaced" role="status">
          <span className="call-replaced-icon">
            <Icon name="tablet" size={96} />
          </span>
          <p className="call-ended-title">{t('callOpenElsewhere')}</p>
          <button type="button" className="button primary call-big" onClick={() => call.takeBack()}>
            {t('join')}
          </button>
          <button type="button" className="button ghost call-big" onClick={onDone}>
            ← {t('back')}
          </button>
        </div>
      </div>
    ) : (
      <div className="call call-participant" lang={shownIn}>
        <div className="call-ended call-replaced" role="status">
          <span className="call-replaced-icon">
            <Icon name="tablet" size={64} />
          </span>
          <p className="call-ended-title">{callT('replaced.title')}</p>
          <p className="muted">{callT('replaced.hint')}</p>
          <button type="button" className="button primary call-big" onClick={() => call.takeBack()}>
            {callT('replaced.useHere')}
          </button>
          <button type="button" className="button ghost call-big" onClick={onDone}>
            {callT('backToSchedule')}
          </button>
        </div>
      </div>
    );
  }

  if (call.phase === 'failed') {
    return (
      <div className={`call call-${variant}`} lang={shownIn} dir={direction}>
        <div className="call-ended" role="alert">
          <p className="call-ended-title">
            {variant === 'kiosk' ? t('help') : call.failure && failureText(call.failure)}
          </p>
          <button type="button" className="button primary call-big" onClick={onDone}>
            {variant === 'kiosk' ? t('back') : callT('backToSchedule')}
          </button>
        </div>
      </div>
    );
  }

  // Tiles for the people in the call now: not staff (they have no media), not those who left.
  const others = (call.state?.participants ?? []).filter(
    (p) => p.participantId !== me && p.role !== 'STAFF' && p.status !== 'left',
  );
  const self = call.state?.participants.find((p) => p.participantId === me);
  const sidebar = call.state?.sidebar;
  const inSidebar = !!sidebar?.active && !!me && sidebar.memberIds.includes(me);
  const lobbyShown = !!call.state?.lobby && role === 'CLIENT';

  return (
    <div className={`call call-${variant}`} lang={shownIn} dir={direction}>
      {variant === 'kiosk' ? (
        <header className="call-bar">
          <span className="call-privacy">
            <Icon name="lock" size={18} /> {t('privateNotice')}
          </span>
          {left && (
            <span
              className={`call-timer${left.minutes < 5 ? ' call-timer-warn' : ''}`}
              // A named timer: a plain span's name is dropped by screen readers.
              role="timer"
              aria-label={t('timeLeft')}
            >
              <Icon name="timer" size={20} /> {left.label}
            </span>
          )}
          {self?.quality && self.quality.level !== 'good' && (
            <span className={`quality quality-${self.quality.level}`}>{t('poorConnection')}</span>
          )}
        </header>
      ) : (
        <CallHeader
          details={details}
          participants={call.state?.participants ?? []}
          timeLeft={left}
          quality={self?.quality?.level ?? null}
        />
      )}

      {call.phase !== 'in-call' && (
        <div className="call-banner" role="status">
          {call.phase === 'joining' ? room('joining') : room('reconnecting')}
        </div>
      )}
      {lobbyShown && (
        <div className="call-lobby" role="status">
          <span className="call-lobby-icon">
            <Icon name="wait" size={48} />
          </span>
          {t('waitingForLawyer')}
          {variant === 'kiosk' && <SpokenPrompt language={language} prompt="waitingForLawyer" />}
        </div>
      )}
      {sidebar?.active && !inSidebar && role === 'CLIENT' && (
        <div className="call-banner call-banner-sidebar" role="status">
          {t('sidebarActive')}
        </div>
      )}
      {sidebar?.active && role !== 'CLIENT' && (
        <div className="call-banner call-banner-sidebar" role="status">
          {inSidebar ? callT('sidebar.inIt') : callT('sidebar.others')}
        </div>
      )}
      <PauseRequestBanner call={call} kiosk={variant === 'kiosk'} language={language} />
      {call.timeWarning && left && left.minutes < 5 && (
        <div className="call-banner" role="status">
          {room('fiveMinutesLeft')}
        </div>
      )}

      <ul className="tiles" aria-label={variant === 'kiosk' ? t('peopleInCall') : callT('participants')}>
        {others.map((p) => {
          const roleKey = ROLE_KEY[p.role];
          const roleName =
            variant === 'kiosk'
              ? roleKey && t(roleKey)
              : roleKey && (p.role === 'ATTORNEY' || p.role === 'INTERPRETER') && callT(`role.${p.role}`);
          return (
            <ParticipantTile
              key={p.participantId}
              participant={p}
              call={call}
              t={room}
              roleName={roleName || null}
              notSentLabel={variant === 'kiosk' ? t('cannotHearPerson') : callT('room.notSent')}
              kiosk={variant === 'kiosk'}
            />
          );
        })}
        {/* The client's lobby already says who they wait for: not a second time here. */}
        {others.length === 0 && !lobbyShown && (
          <li className="tile tile-empty">
            {variant === 'kiosk' ? t('waitingForLawyer') : callT('room.waitingForOthers')}
          </li>
        )}
      </ul>

      {role === 'INTERPRETER' && call.state && <InterpreterConsole call={call} />}
      {(role === 'ATTORNEY' || role === 'CLIENT') && call.state?.mode === 'SIMULTANEOUS' && (
        <OriginalLevel call={call} t={room} kiosk={variant === 'kiosk'} />
      )}
      {role === 'STAFF' && call.state && <StaffPresence call={call} />}
      {variant === 'participant' && role !== 'CLIENT' && (
        <PhonePanel consultationId={ticket.consultation.id} role={role} />
      )}

      {variant === 'kiosk' && call.muted.audio && (
        <div className="call-banner call-banner-muted" role="status">
          <Icon name="micOff" /> {t('youAreMuted')}
        </div>
      )}
      <footer className="call-controls">
        {role !== 'STAFF' && (
          <>
            <DeviceToggle
              on={!call.muted.audio}
              onIcon="mic"
              offIcon="micOff"
              stateOn={room('microphoneOn')}
              stateOff={room('microphoneOff')}
              turnOff={room('turnMicrophoneOff')}
              turnOn={room('turnMicrophoneOn')}
              onToggle={() => call.toggleAudio()}
            />
            <DeviceToggle
              on={!call.muted.video}
              onIcon="camera"
              offIcon="cameraOff"
              stateOn={room('cameraOn')}
              stateOff={room('cameraOff')}
              turnOff={room('turnCameraOff')}
              turnOn={room('turnCameraOn')}
              onToggle={() => void call.toggleVideo()}
            />
          </>
        )}
        {role === 'ATTORNEY' && (
          <button
            type="button"
            className={`button call-big${sidebar?.active ? ' primary' : ' ghost'}`}
            aria-pressed={!!sidebar?.active}
            onClick={() => void call.setSidebar(!sidebar?.active)}
          >
            {sidebar?.active ? callT('sidebar.end') : callT('sidebar.start')}
          </button>
        )}
        {(role === 'ATTORNEY' || role === 'STAFF') &&
          (confirmEnd ? (
            <span className="call-confirm" role="group" aria-label={callT('end.ask')}>
              <span>{callT('end.warning')}</span>
              <button
                type="button"
                className="button call-big danger"
                onClick={() => {
                  setConfirmEnd(false);
                  void call.endCall();
                }}
              >
                {callT('end.confirm')}
              </button>
              <button type="button" className="button call-big ghost" onClick={() => setConfirmEnd(false)}>
                {callT('end.keep')}
              </button>
            </span>
          ) : (
            <button type="button" className="button call-big danger" onClick={() => setConfirmEnd(true)}>
              {callT('end.button')}
            </button>
          ))}
        {confirmLeave ? (
          <span className="call-confirm" role="group" aria-label={room('leaveConfirm')}>
            <span>{room('leaveConfirm')}</span>
            <button
              type="button"
              className="button call-big danger"
              onClick={() => {
                setConfirmLeave(false);
                void call.leave();
              }}
            >
              {room('yes')}
            </button>
            <button type="button" className="button call-big ghost" onClick={() => setConfirmLeave(false)}>
              {room('no')}
            </button>
          </span>
        ) : (
          <button type="button" className="button call-big ghost" onClick={() => setConfirmLeave(true)}>
            {room('leave')}
          </button>
        )}
      </footer>
      {call.localVideo && (
        <div className="self-view" aria-label={room('you')}>
          <VideoTile stream={call.localVideo} />
        </div>
      )}
    </div>
  );
}

function ParticipantTile({
  participant,
  call,
  t,
  roleName,
  notSentLabel,
  kiosk,
}: {
  participant: CallParticipantView;
  call: CallController;
  t: RoomText;
  /** "Attorney" or "Interpreter" under the name; null for the others. */
  roleName: string | null;
  notSentLabel: string;
  /** The kiosk shows pictures with little text: a phone caller gets the icon alone, named for screen readers. */
  kiosk: boolean;
}) {
  const video = call.videos[participant.participantId];
  const audioRoute = call.routing?.tracks.find(
    (x) => x.kind === 'audio' && x.speakerId === participant.participantId,
  );
  const speaking = call.state?.activeSpeakerId === participant.participantId;
  const reconnecting = participant.status === 'reconnecting';
  const weak = !!participant.quality && participant.quality.level !== 'good';
  const notSent = !!audioRoute && !audioRoute.sent;
  return (
    <li
      className={`tile${speaking ? ' tile-speaking' : ''}${participant.status !== 'connected' ? ' tile-away' : ''}`}
      data-participant={participant.participantId}
      data-role={participant.role}
      data-sent={audioRoute?.sent ? 'true' : 'false'}
      data-device={participant.device}
    >
      {video && !participant.muted.video ? (
        <VideoTile stream={video} />
      ) : (
        <span className="tile-avatar" aria-hidden="true">
          {participant.displayName
            .split(/\s+/)
            .map((w) => Array.from(w)[0] ?? '')
            .slice(0, 2)
            .join('')}
        </span>
      )}
      <span className="tile-name">
        {participant.displayName}
        {roleName && <span className="tile-role"> · {roleName}</span>}
      </span>
      {isOnThePhone(participant) && <OnThePhone label={t('onThePhone')} iconOnly={kiosk} />}
      {/* Only when there is something to say: an empty status drew a dark pill under every name. */}
      {(participant.muted.audio || reconnecting || weak || notSent) && (
        <span className="tile-status">
          {participant.muted.audio && <Icon name="micOff" size={18} label={t('microphoneOff')} />}
          {reconnecting && <span>{t('reconnecting')}</span>}
          {weak && (
            <span className={`quality quality-${participant.quality?.level}`}>{t('poorConnection')}</span>
          )}
          {notSent && <Icon name="lock" size={18} label={notSentLabel} />}
        </span>
      )}
    </li>
  );
}

function StaffPresence({ call }: { call: CallController }) {
  const { t } = useTranslation('call');
  return (
    <section className="panel presence" aria-label={t('staffPresence.label')}>
      <h2>{t('staffPresence.title')}</h2>
      <p className="muted small">{t('staffPresence.lede')}</p>
      <ul>
        {call.state?.participants.map((p) => (
          <li key={p.participantId} data-device={p.device}>
            {t('staffPresence.line', {
              name: p.displayName,
              role: t(`role.${p.role}`),
              status: t(`status.${p.status}`),
            })}
            {isOnThePhone(p) && (
              <>
                {' · '}
                <OnThePhone label={t('room.onThePhone')} iconOnly={false} />
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
