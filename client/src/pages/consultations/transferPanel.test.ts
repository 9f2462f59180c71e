import { describe, expect, it } from 'vitest';
import { rebookInterpreter } from './TransferPanel.tsx';

const slot = (ids: string[]) => ({
  startsAt: '2026-03-10T15:00:00.000Z',
  endsAt: '2026-03-10T16:00:00.000Z',
  interpreters: ids.map((id) => ({ id, name: id, bookedMinutesThisWeek: 0 })),
});

describe('rebookInterpreter', () => {
  it('keeps the call’s interpreter when they are free at the new facility’s slot', () => {
    expect(rebookInterpreter(slot(['a', 'b']), 'b')).toBe('b');
  });
  it('takes the best ranked free interpreter otherwise, or none', () => {
    expect(rebookInterpreter(slot(['a', 'b']), 'c')).toBe('a');
    expect(rebookInterpreter(slot(['a']), null)).toBe('a');
    expect(rebookInterpreter(slot([]), 'c')).toBeNull();
  });
});
