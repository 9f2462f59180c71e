import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { KioskPromptId, LanguageCode } from '@parley/shared';
import { useClientText } from '../i18n/clientText.ts';
import { KioskIcon } from './KioskIcons.tsx';
import { PromptSources, playInTurn } from './promptSources.ts';

/** The kiosk's prompt sources (recorded for this organisation, else generated); KioskEntry provides it. */
export const PromptSourcesContext = createContext<PromptSources>(new PromptSources(null));

/** The source URL of a prompt, or null while loading and where none exists for the language. */
export function usePromptSource(language: LanguageCode, prompt: KioskPromptId): string | null {
  const sources = useContext(PromptSourcesContext);
  const key = `${language}/${prompt}`;
  const [loaded, setLoaded] = useState<{ key: string; src: string | null } | null>(null);
  useEffect(() => {
    let current = true;
    void sources.source(language, prompt).then((src) => current && setLoaded({ key, src }));
    return () => {
      current = false;
    };
  }, [sources, language, prompt, key]);
  return loaded?.key === key ? loaded.src : null;
}

/**
 * Speaks a screen's prompt in the client's language once the screen shows (and again on a tap of
 * its speaker button), for people who read little. Renders nothing where the language has no
 * prompt: the screen's pictures carry it alone. These are prompts only: nothing here records.
 */
export function SpokenPrompt({ language, prompt }: { language: LanguageCode; prompt: KioskPromptId }) {
  const t = useClientText(language);
  const src = usePromptSource(language, prompt);
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = audio.current;
    if (!src || !element) return;
    return playInTurn(element);
  }, [src]);
  if (!src) return null;
  return (
    <>
      <audio ref={audio} src={src} preload="auto" data-prompt={prompt} data-language={language} />
      <button
        type="button"
        className="kiosk-listen"
        aria-label={t('listenAgain')}
        title={t('listenAgain')}
        onClick={() => {
          if (audio.current) playInTurn(audio.current, { now: true });
        }}
      >
        <KioskIcon name="speaker" size={36} />
      </button>
    </>
  );
}
