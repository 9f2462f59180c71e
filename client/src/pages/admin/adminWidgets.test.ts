import { describe, expect, it } from 'vitest';
import { formatDateTime, minutesToTime, timeToMinutes } from './adminWidgets.tsx';

describe('visiting-window times', () => {
  it('turn minutes after midnight into HH:MM and back', () => {
    expect(minutesToTime(0)).toBe('00:00');
    expect(minutesToTime(8 * 60)).toBe('08:00');
    expect(minutesToTime(17 * 60 + 30)).toBe('17:30');
    expect(timeToMinutes('17:30')).toBe(1050);
    expect(timeToMinutes('08:00')).toBe(480);
  });

  it('refuse what is not a time', () => {
    expect(timeToMinutes('')).toBeNull();
    expect(timeToMinutes('8:00')).toBeNull();
    expect(timeToMinutes('noon')).toBeNull();
  });
});

describe('formatDateTime', () => {
  it('shows a moment in the facility’s zone with the zone’s name', () => {
    // 15:00 UTC on 1 December is 09:00 in Chicago (CST, UTC−6).
    expect(formatDateTime('2026-12-01T15:00:00.000Z', 'America/Chicago')).toMatch(
      /Dec 1, 2026.*9:00\sAM CST/,
    );
    expect(formatDateTime(null)).toBe('—');
  });
});
