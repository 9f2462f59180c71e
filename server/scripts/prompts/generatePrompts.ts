/**
 * Writes the kiosk's spoken prompts: `npx tsx server/scripts/prompts/generatePrompts.ts`.
 *
 * For each client language with an espeak-ng voice, each prompt of KIOSK_PROMPT_IDS is spoken from
 * the language's own client string in client/src/i18n/locales/<language>/client.json (what is heard
 * is what the screen shows), encoded as small Ogg
 * Vorbis (16 kHz mono, lowest quality: speech stays clear at 5-15 kB a prompt) into
 * client/public/prompts/<language>/<prompt>.ogg, with client/public/prompts/manifest.json saying
 * what exists and, for the rest, why not.
 *
 * A prompt is never spoken in another language's voice or from another language's text: the Mayan
 * screens show Spanish until a native speaker writes them, so only their names are generated (where
 * espeak-ng has the voice); the rest comes from recordings an ADMIN uploads, or the screen goes by
 * its pictures alone. Needs espeak-ng and sox (Debian packages of the same names). Offline: the
 * output is committed, and kiosks never synthesise speech themselves.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CLIENT_LANGUAGES,
  KIOSK_PROMPT_IDS,
  type KioskPromptId,
  type KioskPromptManifest,
  type LanguageCode,
} from '@parley/shared';
import { REPO_ROOT } from '../../src/config.ts';

interface VoicePlan {
  /** espeak-ng voice, or null where espeak-ng has none for the language. */
  voice: string | null;
  /** Whether the language's screen sentences are really in that language (not the Spanish stand-in). */
  sentences: boolean;
  /** What the kiosk does for prompts this script does not generate. */
  fallback: string;
}

const RECORDED_OR_PICTURES = 'recorded prompts uploaded by an administrator; without them, pictures only';

const VOICES: Record<Exclude<LanguageCode, 'en'>, VoicePlan> = {
  es: { voice: 'es-419', sentences: true, fallback: RECORDED_OR_PICTURES },
  ht: { voice: 'ht', sentences: true, fallback: RECORDED_OR_PICTURES },
  quc: {
    voice: 'quc',
    sentences: false,
    fallback:
      "Only the name is generated: the K'iche' screen text is Spanish until a native speaker writes it. " +
      RECORDED_OR_PICTURES,
  },
  mam: {
    voice: null,
    sentences: false,
    fallback: 'No espeak-ng voice, and the screen text is Spanish. ' + RECORDED_OR_PICTURES,
  },
  kjb: {
    voice: null,
    sentences: false,
    fallback: 'No espeak-ng voice, and the screen text is Spanish. ' + RECORDED_OR_PICTURES,
  },
  pt: { voice: 'pt-br', sentences: true, fallback: RECORDED_OR_PICTURES },
  fr: { voice: 'fr', sentences: true, fallback: RECORDED_OR_PICTURES },
  ar: { voice: 'ar', sentences: true, fallback: RECORDED_OR_PICTURES },
  hi: { voice: 'hi', sentences: true, fallback: RECORDED_OR_PICTURES },
  pa: { voice: 'pa', sentences: true, fallback: RECORDED_OR_PICTURES },
  bn: { voice: 'bn', sentences: true, fallback: RECORDED_OR_PICTURES },
  ne: { voice: 'ne', sentences: true, fallback: RECORDED_OR_PICTURES },
  ru: { voice: 'ru', sentences: true, fallback: RECORDED_OR_PICTURES },
  ro: { voice: 'ro', sentences: true, fallback: RECORDED_OR_PICTURES },
  tr: { voice: 'tr', sentences: true, fallback: RECORDED_OR_PICTURES },
  ti: {
    voice: null,
    sentences: true,
    fallback: 'No espeak-ng voice (Amharic is not Tigrinya). ' + RECORDED_OR_PICTURES,
  },
  am: { voice: 'am', sentences: true, fallback: RECORDED_OR_PICTURES },
  wo: { voice: null, sentences: true, fallback: 'No espeak-ng voice. ' + RECORDED_OR_PICTURES },
  zh: { voice: 'cmn', sentences: true, fallback: RECORDED_OR_PICTURES },
  vi: { voice: 'vi', sentences: true, fallback: RECORDED_OR_PICTURES },
};

const OUT_DIR = resolve(REPO_ROOT, 'client/public/prompts');
const CATALOGS = resolve(REPO_ROOT, 'client/src/i18n/locales');

/** The client's screen text in one language: its i18next catalog, read as the data it is. */
function clientCatalog(language: LanguageCode): Partial<Record<string, string>> {
  return JSON.parse(readFileSync(join(CATALOGS, language, 'client.json'), 'utf8')) as Record<string, string>;
}

function textOf(language: LanguageCode, prompt: KioskPromptId): string {
  if (prompt === 'languageName') {
    return CLIENT_LANGUAGES.find((l) => l.code === language)?.nativeName ?? '';
  }
  // Only languages whose own catalog has the sentences are spoken (VoicePlan.sentences): never a fallback.
  const text = clientCatalog(language)[prompt];
  if (!text) throw new Error(`client/src/i18n/locales/${language}/client.json has no ${prompt}`);
  return text;
}

function speak(voice: string, text: string, file: string, work: string): void {
  const wav = join(work, 'prompt.wav');
  // -s 140: a little slower than espeak-ng's default, for listeners who may not read the screen.
  execFileSync('espeak-ng', ['-v', voice, '-s', '140', '-w', wav, text]);
  execFileSync('sox', [wav, '-r', '16000', '-c', '1', '-C', '-1', file, 'norm', '-3']);
}

const manifest: KioskPromptManifest = { format: 'ogg', languages: {} };
const work = mkdtempSync(join(tmpdir(), 'parley-prompts-'));
let total = 0;
let files = 0;
try {
  rmSync(OUT_DIR, { recursive: true, force: true });
  for (const { code } of CLIENT_LANGUAGES) {
    const plan = VOICES[code];
    const prompts: Partial<Record<KioskPromptId, string>> = {};
    if (plan.voice) {
      mkdirSync(join(OUT_DIR, code), { recursive: true });
      for (const prompt of KIOSK_PROMPT_IDS) {
        if (prompt !== 'languageName' && !plan.sentences) continue;
        const path = `${code}/${prompt}.ogg`;
        speak(plan.voice, textOf(code, prompt), join(OUT_DIR, path), work);
        prompts[prompt] = path;
        total += statSync(join(OUT_DIR, path)).size;
        files += 1;
      }
    }
    manifest.languages[code] = { voice: plan.voice, prompts, fallback: plan.fallback };
  }
  writeFileSync(join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`${files} prompts, ${Math.round(total / 1024)} KiB, in ${OUT_DIR}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
