import { describe, expect, it } from 'vitest';
import { keyOfInfo, TelephoneEventReader } from './dtmf.ts';

const event = (code: number, end = false) => Uint8Array.of(code, end ? 0x8a : 0x0a, 0, 160);

describe('DTMF', () => {
  it('counts one press per event, however many packets and end copies carry it', () => {
    const reader = new TelephoneEventReader();
    const keys = [
      reader.read(event(1), 1000),
      reader.read(event(1), 1000),
      reader.read(event(1, true), 1000),
      reader.read(event(1, true), 1000),
      reader.read(event(1), 2000), // the same key pressed again
      reader.read(event(11), 3000),
      reader.read(event(10), 4000),
    ];
    expect(keys.filter((k) => k !== null)).toEqual(['1', '1', '#', '*']);
  });

  it('ignores events that are not keys and packets too short to be events', () => {
    const reader = new TelephoneEventReader();
    expect(reader.read(event(70), 1)).toBeNull();
    expect(reader.read(Uint8Array.of(1, 2), 2)).toBeNull();
  });

  it('reads SIP INFO bodies of both common types, and nothing else', () => {
    expect(keyOfInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toBe('5');
    expect(keyOfInfo('application/dtmf-relay', 'Signal= #\r\n')).toBe('#');
    expect(keyOfInfo('application/dtmf-relay', 'Signal=11\r\n')).toBe('#');
    expect(keyOfInfo('application/dtmf; charset=x', '7')).toBe('7');
    expect(keyOfInfo('text/plain', '7')).toBeNull();
    expect(keyOfInfo('application/dtmf', '777')).toBeNull();
    expect(keyOfInfo('application/dtmf-relay', 'Signal=Z')).toBeNull();
    expect(keyOfInfo(undefined, '')).toBeNull();
  });
});
