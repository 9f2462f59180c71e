import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findLanguage, type InterpreterView, type LanguageCode } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import { PauseAsk } from './PauseRequest.tsx';
import type { CallController } from './useCall.ts';
import './interpretation.css';

/**
 * The interpreter's console (issue 17): the mode, what they listen to (the room, or relay from
 * another interpreter), the light switch over their own pair, their booth partner's state with
 * hand over / take over, a loud warning when both partners are live, the private back-channel
 * (kept on this page only), and "please pause" to the attorney or the client, with their acknowledgement.
 */
export function InterpreterConsole({ call }: { call: CallController }) {
  const { t } = useTranslation();
  const state = call.state;
  const me = call.participantId;
  if (!state || !me) return null;
  const view = state.interpretation;
  const mine: InterpreterView | undefined = view?.interpreters.find((i) => i.participantId === me);
  const pair: LanguageCode[] = mine?.pair ?? [state.languages.attorney, state.languages.client];
  const renderingInto = mine ? mine.renderingInto : state.renderingInto;
  const simultaneous = state.mode === 'SIMULTANEOUS';
  const nameOf = (id: string) => state.participants.find((p) => p.participantId === id)?.displayName ?? id;
  const others = (view?.interpreters ?? []).filter((i) => i.participantId !== me);
  const partners = mine ? others.filter((i) => mine.partnerIds.includes(i.participantId)) : [];
  const livePartner = partners.find((p) => p.live);
  const myRequest = view?.handovers.find((h) => h.fromId === me);
  const askedOfMe = view?.handovers.find((h) => h.toId === me);
  const bothLiveWith = view?.bothLive.find((group) => group.includes(me))?.filter((id) => id !== me);

  return (
    <section className="console" aria-label={t('interpretation.console')}>
      {bothLiveWith && bothLiveWith.length > 0 && (
        <div className="console-both-live" role="alert">
          <Icon name="hand" size={28} />{' '}
          {t('interpretation.bothLive', { name: bothLiveWith.map(nameOf).join(', ') })}
        </div>
      )}
      {askedOfMe && (
        <div className="console-handover-asked" role="alert">
          {t('interpretation.partnerAsks', { name: nameOf(askedOfMe.fromId) })}{' '}
          <button type="button" className="button primary" onClick={() => void call.handover('ACCEPT')}>
            {t('interpretation.acceptHandOver')}
          </button>
        </div>
      )}

      <div className="console-mode" role="radiogroup" aria-label={t('interpretation.modeGroup')}>
        {(['CONSECUTIVE', 'SIMULTANEOUS'] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={state.mode === mode}
            className={`button ${state.mode === mode ? 'primary' : 'ghost'}`}
            onClick={() =>
              void call.setInterpretation(
                mode,
                mode === 'SIMULTANEOUS' ? (renderingInto ?? pair.find((l) => l !== 'en') ?? pair[1]!) : null,
              )
            }
          >
            {mode === 'CONSECUTIVE' ? 'Consecutive' : 'Simultaneous'}
          </button>
        ))}
      </div>

      {others.length > 0 && (
        <div className="console-input" role="radiogroup" aria-label={t('interpretation.listenTo')}>
          <span className="console-label">{t('interpretation.listenTo')}</span>
          <button
            type="button"
            role="radio"
            aria-checked={mine?.input.kind !== 'RELAY'}
            className={`button ${mine?.input.kind !== 'RELAY' ? 'primary' : 'ghost'}`}
            onClick={() => void call.setInterpreterInput({ kind: 'FLOOR' })}
          >
            {t('interpretation.floor')}
          </button>
          {others
            .filter((o) => !mine?.partnerIds.includes(o.participantId))
            .map((o) => {
              const on = mine?.input.kind === 'RELAY' && mine.input.fromId === o.participantId;
              return (
                <button
                  key={o.participantId}
                  type="button"
                  role="radio"
                  aria-checked={on}
                  className={`button ${on ? 'primary' : 'ghost'}`}
                  onClick={() => void call.setInterpreterInput({ kind: 'RELAY', fromId: o.participantId })}
                >
                  {t('interpretation.relayFrom', { name: nameOf(o.participantId) })}
                </button>
              );
            })}
        </div>
      )}

      {simultaneous && (
        <div className="light-switch" role="radiogroup" aria-label={t('interpretation.renderingInto')}>
          {pair.map((code) => {
            const l = findLanguage(code);
            if (!l) return null;
            return (
              <button
                key={code}
                type="button"
                role="radio"
                aria-checked={renderingInto === code}
                className={`light-switch-side${renderingInto === code ? ' on' : ''}`}
                onClick={() => void call.setInterpretation('SIMULTANEOUS', code)}
              >
                → {l.englishName}
                <span className="light-switch-native">{l.nativeName}</span>
              </button>
            );
          })}
        </div>
      )}

      {mine && partners.length > 0 && (
        <div className="console-booth" role="group" aria-label={t('interpretation.boothPartner')}>
          <p className="console-booth-state">
            <span className={`console-pill ${mine.live ? 'live' : 'resting'}`}>
              {t('interpretation.you')}: {mine.live ? t('interpretation.live') : t('interpretation.resting')}
            </span>
            {partners.map((p) => (
              <span key={p.participantId} className={`console-pill ${p.live ? 'live' : 'resting'}`}>
                {t('interpretation.partnerState', {
                  name: nameOf(p.participantId),
                  state: p.live ? t('interpretation.live') : t('interpretation.resting'),
                })}
              </span>
            ))}
          </p>
          {myRequest && (
            <p className="muted">{t('interpretation.handOverAsked', { name: nameOf(myRequest.toId) })}</p>
          )}
          <div className="console-booth-actions">
            {mine.live && !myRequest && (
              <button type="button" className="button" onClick={() => void call.handover('REQUEST')}>
                {t('interpretation.handOver', {
                  name: nameOf((partners.find((p) => !p.live) ?? partners[0]!).participantId),
                })}
              </button>
            )}
            {myRequest && (
              <button type="button" className="button ghost" onClick={() => void call.handover('CANCEL')}>
                {t('interpretation.cancelHandOver')}
              </button>
            )}
            {!mine.live && (
              <button
                type="button"
                className="button primary"
                onClick={() => void call.handover('TAKE_OVER')}
              >
                {t('interpretation.takeOverNow')}
              </button>
            )}
            {!mine.live && !livePartner && (
              <button type="button" className="button" onClick={() => void call.handover('GO_LIVE')}>
                {t('interpretation.goLive')}
              </button>
            )}
            {mine.live && (
              <button type="button" className="button ghost" onClick={() => void call.handover('REST')}>
                {t('interpretation.rest')}
              </button>
            )}
          </div>
        </div>
      )}

      {others.length > 0 && <BackChannel call={call} nameOf={nameOf} />}

      <PauseAsk call={call} />
    </section>
  );
}

/** The interpreters' private notes: relayed by the server, never stored; this page forgets them. */
function BackChannel({ call, nameOf }: { call: CallController; nameOf: (id: string) => string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const send = () => {
    const note = text.trim();
    if (!note) return;
    setText('');
    void call.sendBackChannel(note);
  };
  return (
    <div className="console-back-channel" role="group" aria-label={t('interpretation.backChannel')}>
      <p className="console-label">{t('interpretation.backChannel')}</p>
      <p className="muted small">{t('interpretation.backChannelHint')}</p>
      <ul className="console-notes" aria-label={t('interpretation.backChannel')} aria-live="polite">
        {call.backChannelNotes.length === 0 && <li className="muted">{t('interpretation.noNotes')}</li>}
        {call.backChannelNotes.map((note, index) => (
          <li key={`${note.sentAt}-${index}`}>
            <strong>
              {note.fromParticipantId === call.participantId
                ? t('interpretation.you')
                : nameOf(note.fromParticipantId)}
              :
            </strong>{' '}
            {note.text}
          </li>
        ))}
      </ul>
      <form
        className="console-note-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <input
          type="text"
          maxLength={500}
          aria-label={t('interpretation.backChannelLabel')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="button">
          {t('interpretation.send')}
        </button>
      </form>
    </div>
  );
}
