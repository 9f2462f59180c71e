import { describe, expect, it } from 'vitest';
import { loadPrompts, PROMPT_LANGUAGES, PROMPT_NAMES } from './prompts.ts';

describe('phone prompts', () => {
  it('exist in English and Spanish, each a few seconds of audible 8 kHz speech', () => {
    const prompts = loadPrompts();
    for (const language of PROMPT_LANGUAGES)
      for (const name of PROMPT_NAMES) {
        const samples = prompts[language][name];
        expect(samples.length, `${language}/${name}`).toBeGreaterThan(8000 * 0.8);
        expect(samples.length, `${language}/${name}`).toBeLessThan(8000 * 8);
        let peak = 0;
        for (const s of samples) peak = Math.max(peak, Math.abs(s));
        expect(peak, `${language}/${name}`).toBeGreaterThan(8000);
      }
  });

  it('differ between the languages', () => {
    const prompts = loadPrompts();
    expect(prompts.es['enter-pin'].length).not.toBe(prompts.en['enter-pin'].length);
  });
});
