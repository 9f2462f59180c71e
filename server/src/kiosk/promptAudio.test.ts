import { describe, expect, it } from 'vitest';
import { sniffPromptAudio } from './promptAudio.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffPromptAudio', () => {
  it('knows the accepted containers by their first bytes', () => {
    expect(sniffPromptAudio(bytes('OggS', [0, 2]))).toBe('audio/ogg');
    expect(sniffPromptAudio(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBe('audio/wav');
    expect(sniffPromptAudio(bytes([0x1a, 0x45, 0xdf, 0xa3, 1]))).toBe('audio/webm');
    expect(sniffPromptAudio(bytes('ID3', [4, 0]))).toBe('audio/mpeg');
    expect(sniffPromptAudio(bytes([0xff, 0xfb, 0x90, 0x00]))).toBe('audio/mpeg');
  });

  it('refuses everything else', () => {
    expect(sniffPromptAudio(bytes('<html>'))).toBeNull();
    expect(sniffPromptAudio(bytes('RIFF', [1, 2, 3, 4], 'AVI '))).toBeNull();
    expect(sniffPromptAudio(bytes([0xff, 0xe0]))).toBeNull();
    expect(sniffPromptAudio(bytes('Og'))).toBeNull();
    expect(sniffPromptAudio(new Uint8Array())).toBeNull();
  });
});
