import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  minutesToTime,
  timeToMinutes,
  timeZoneChoices,
  US_TIME_ZONES,
} from './adminWidgets.tsx';

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

describe('timeZoneChoices', () => {
  it('offers the US zones first, then every other IANA zone once', () => {
    const { us, others } = timeZoneChoices('America/Chicago');
    expect(us).toEqual(US_TIME_ZONES);
    expect(others).not.toContain('America/Chicago');
    expect(others).toContain('Europe/Madrid');
    expect(new Set([...us, ...others]).size).toBe(us.length + others.length);
    expect(Intl.supportedValuesOf('timeZone').every((z) => us.includes(z) || others.includes(z))).toBe(true);
  });

  it('keeps a saved zone the runtime does not list, so it is shown rather than replaced', () => {
    expect(timeZoneChoices('Mars/Olympus_Mons').others[0]).toBe('Mars/Olympus_Mons');
    expect(timeZoneChoices('').others).not.toContain('');
  });
});
