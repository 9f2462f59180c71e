import { useEffect, useRef, useState } from 'react';
import { DEFAULT_ORIGINAL_LEVEL, findLanguage } from '@parley/shared';
import { useLanguageName } from '../i18n/languageName.ts';
import type { RoomText } from './CallRoom.tsx';
import type { CallController } from './useCall.ts';
import './interpretation.css';

/** How long the slider waits after the last move before telling the server. */
const SEND_AFTER_MS = 150;

function PersonSpeakingIcon({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M9 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-7 1.7-7 4v2h14v-2c0-2.3-3.7-4-7-4zm8.5-9.5-1.4 1.4a4.5 4.5 0 0 1 0 6.2l1.4 1.4a6.5 6.5 0 0 0 0-9zm2.8-2.8-1.4 1.4a8.5 8.5 0 0 1 0 11.8l1.4 1.4a10.5 10.5 0 0 0 0-14.6z"
      />
    </svg>
  );
}

function InterpreterIcon({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 2a9 9 0 0 0-9 9v6a3 3 0 0 0 3 3h2v-8H5v-1a7 7 0 0 1 14 0v1h-3v8h2.2a3 3 0 0 1-2.2 1H12v2h4a5 5 0 0 0 5-5v-7a9 9 0 0 0-9-9z"
      />
    </svg>
  );
}

/**
 * A listener's own mix (issue 17): the channel they are on, in their language, and how loud the
 * person speaking stays under the interpreter, 0–100 %. Only their own gain changes; the kiosk
 * shows it large, with an icon at each end (the interpreter; the person speaking).
 */
export function OriginalLevel({ call, t, kiosk }: { call: CallController; t: RoomText; kiosk: boolean }) {
  const languageName = useLanguageName();
  const server = call.state?.interpretation?.originalLevel ?? DEFAULT_ORIGINAL_LEVEL;
  const [level, setLevel] = useState(server);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dragging = useRef(false);
  useEffect(() => {
    if (!dragging.current) setLevel(server);
  }, [server]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const channel = call.state?.interpretation?.channel;
  const language = channel ? findLanguage(channel) : undefined;
  const size = kiosk ? 44 : 24;
  const change = (value: number) => {
    setLevel(value);
    dragging.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      dragging.current = false;
      void call.setOriginalLevel(value);
    }, SEND_AFTER_MS);
  };
  return (
    <section
      className={`original-level${kiosk ? ' original-level-kiosk' : ''}`}
      aria-label={t('originalVoice')}
    >
      {language && (
        <p className="original-level-channel">
          {t('youHear', { language: kiosk ? language.nativeName : languageName(language.code) })}
        </p>
      )}
      <div className="original-level-row">
        <span className="original-level-end" title={t('interpreter')}>
          <InterpreterIcon size={size} />
          <span className="visually-hidden">{t('interpreter')}</span>
        </span>
        <input
          type="range"
          min={0}
          max={100}
          step={5}
          value={level}
          aria-label={t('originalVoice')}
          aria-valuetext={`${level} %`}
          onChange={(event) => change(Number(event.target.value))}
        />
        <span className="original-level-end" title={t('personSpeaking')}>
          <PersonSpeakingIcon size={size} />
          <span className="visually-hidden">{t('personSpeaking')}</span>
        </span>
      </div>
    </section>
  );
}
