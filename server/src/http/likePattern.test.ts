import { describe, expect, it } from 'vitest';
import { escapeLikePattern } from './likePattern.ts';

describe('escapeLikePattern', () => {
  it('escapes the wildcards and the escape character', () => {
    expect(escapeLikePattern('%')).toBe('\\%');
    expect(escapeLikePattern('_')).toBe('\\_');
    expect(escapeLikePattern('\\')).toBe('\\\\');
    expect(escapeLikePattern('50%_off\\x')).toBe('50\\%\\_off\\\\x');
  });

  it('leaves other text alone', () => {
    expect(escapeLikePattern("O'Brien-Núñez 2026")).toBe("O'Brien-Núñez 2026");
    expect(escapeLikePattern('')).toBe('');
  });
});
