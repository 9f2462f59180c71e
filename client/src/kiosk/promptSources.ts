import type {
  KioskPromptId,
  KioskPromptManifest,
  KioskRecordedPrompts,
  KioskSession,
  LanguageCode,
} from '@parley/shared';

/**
 * Where each spoken prompt comes from: a recording the organisation uploaded (fetched with the
 * device's token), else the generated file the client ships (public/prompts/manifest.json), else
 * nothing — never a prompt in another language.
 */
export class PromptSources {
  private manifest: Promise<KioskPromptManifest | null> | null = null;
  private readonly recorded = new Map<LanguageCode, Promise<KioskPromptId[]>>();
  private readonly recordedUrls = new Map<string, Promise<string | null>>();

  constructor(private readonly session: KioskSession | null) {}

  async source(language: LanguageCode, prompt: KioskPromptId): Promise<string | null> {
    if ((await this.recordedFor(language)).includes(prompt)) {
      const url = await this.recordedUrl(language, prompt);
      if (url) return url;
    }
    const path = (await this.loadManifest())?.languages[language]?.prompts[prompt];
    return path ? `/prompts/${path}` : null;
  }

  private loadManifest(): Promise<KioskPromptManifest | null> {
    this.manifest ??= fetch('/prompts/manifest.json')
      .then((r) => (r.ok ? (r.json() as Promise<KioskPromptManifest>) : null))
      .catch(() => null);
    return this.manifest;
  }

  private recordedFor(language: LanguageCode): Promise<KioskPromptId[]> {
    const session = this.session;
    if (!session) return Promise.resolve([]);
    let found = this.recorded.get(language);
    if (!found) {
      found = fetch(`/api/kiosk/prompts?language=${encodeURIComponent(language)}`, {
        headers: { Authorization: `Bearer ${session.token}` },
      })
        .then((r) => (r.ok ? (r.json() as Promise<KioskRecordedPrompts>) : null))
        .then((body) => body?.recorded ?? [])
        .catch(() => []);
      this.recorded.set(language, found);
    }
    return found;
  }

  private recordedUrl(language: LanguageCode, prompt: KioskPromptId): Promise<string | null> {
    const key = `${language}/${prompt}`;
    let url = this.recordedUrls.get(key);
    if (!url) {
      // The file needs the device's token, which an <audio src> cannot send: fetch it, play a blob.
      url = fetch(`/api/kiosk/prompts/${key}`, {
        headers: { Authorization: `Bearer ${this.session?.token ?? ''}` },
      })
        .then((r) => (r.ok ? r.blob() : null))
        .then((blob) => (blob ? URL.createObjectURL(blob) : null))
        .catch(() => null);
      this.recordedUrls.set(key, url);
    }
    return url;
  }
}

/**
 * One voice at a time. A language's name, said when the grid is touched, goes first: the next
 * screen's prompt waits until it has been said (or failed, or was cut short by another touch).
 */
let nameSaid: Promise<void> = Promise.resolve();
let currentName: HTMLAudioElement | null = null;
/** A name that does not end (a stalled file) must not silence the kiosk: wait at most this long. */
const NAME_WAIT_LIMIT_MS = 6000;

export function sayFirst(source: Promise<string | null>, describe: { language: string }): void {
  currentName?.pause();
  nameSaid = source.then((src) => {
    if (!src) return;
    const audio = new Audio(src);
    audio.dataset.prompt = 'languageName';
    audio.dataset.language = describe.language;
    currentName = audio;
    return new Promise<void>((resolve) => {
      audio.addEventListener('ended', () => resolve(), { once: true });
      audio.addEventListener('pause', () => resolve(), { once: true });
      audio.addEventListener('error', () => resolve(), { once: true });
      setTimeout(resolve, NAME_WAIT_LIMIT_MS);
      // A browser may refuse to play before the first touch; then there is nothing to wait for.
      audio.play().catch(() => resolve());
    });
  });
}

/** Plays a screen's prompt once any name being said has finished; the returned function stops it. */
export function playInTurn(audio: HTMLAudioElement, options: { now?: boolean } = {}): () => void {
  let cancelled = false;
  const start = () => {
    if (cancelled) return;
    audio.currentTime = 0;
    void audio.play().catch(() => undefined);
  };
  if (options.now) {
    currentName?.pause();
    start();
  } else {
    void nameSaid.then(start);
  }
  return () => {
    cancelled = true;
    audio.pause();
  };
}
