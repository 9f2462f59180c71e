import type { KioskPromptMimeType } from '@parley/shared';

/**
 * The audio type a file really is, from its first bytes, or null. An upload must be what it
 * declares: the kiosk hands the file to the browser's audio element as that type.
 */
export function sniffPromptAudio(bytes: Uint8Array): KioskPromptMimeType | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 4 && ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return 'audio/webm';
  }
  if (bytes.length >= 3 && ascii(0, 3) === 'ID3') return 'audio/mpeg';
  // An MPEG audio frame without an ID3 tag: 11 set sync bits, layer not "reserved".
  if (
    bytes.length >= 2 &&
    bytes[0] === 0xff &&
    ((bytes[1] ?? 0) & 0xe0) === 0xe0 &&
    ((bytes[1] ?? 0) & 0x06) !== 0
  ) {
    return 'audio/mpeg';
  }
  return null;
}
