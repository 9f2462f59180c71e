import { describe, expect, it } from 'vitest';
import {
  confirmationExpiry,
  CONFIRMATION_LINK_TTL_MS,
  judgeAnswer,
  MAX_REMINDERS,
  reminderDue,
  REMINDER_AFTER_MS,
} from './confirmationState.ts';
import { confirmationToken, hashConfirmationToken, tokenSignsRequest } from './confirmationToken.ts';

const now = new Date('2027-03-01T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const open = { answer: null, expiresAt: later(3_600_000), supersededAt: null, proposedStartsAt: null };

describe('judgeAnswer', () => {
  it('applies a first answer to an open request', () => {
    for (const kind of ['CONFIRM', 'DECLINE', 'PROPOSE'] as const) {
      expect(judgeAnswer(open, { kind, proposedStartsAt: later(86_400_000) }, now)).toBe('apply');
    }
  });
  it('accepts the same answer again and refuses a different one', () => {
    const confirmed = { ...open, answer: 'CONFIRMED' as const };
    expect(judgeAnswer(confirmed, { kind: 'CONFIRM' }, now)).toBe('repeat');
    expect(judgeAnswer(confirmed, { kind: 'DECLINE' }, now)).toBe('conflict');
    const proposed = { ...open, answer: 'PROPOSED' as const, proposedStartsAt: later(86_400_000) };
    expect(judgeAnswer(proposed, { kind: 'PROPOSE', proposedStartsAt: later(86_400_000) }, now)).toBe(
      'repeat',
    );
    expect(judgeAnswer(proposed, { kind: 'PROPOSE', proposedStartsAt: later(90_000_000) }, now)).toBe(
      'conflict',
    );
    expect(judgeAnswer(proposed, { kind: 'CONFIRM' }, now)).toBe('conflict');
  });
  it('refuses a superseded request before anything else, and an expired one', () => {
    expect(judgeAnswer({ ...open, supersededAt: now, answer: 'CONFIRMED' }, { kind: 'CONFIRM' }, now)).toBe(
      'superseded',
    );
    expect(judgeAnswer({ ...open, expiresAt: now }, { kind: 'CONFIRM' }, now)).toBe('expired');
    // An answer given before expiry can still be repeated after it.
    expect(judgeAnswer({ ...open, expiresAt: now, answer: 'DECLINED' }, { kind: 'DECLINE' }, now)).toBe(
      'repeat',
    );
  });
});

describe('confirmationExpiry', () => {
  it('is the call’s start, at most a week away, and always after the request', () => {
    expect(confirmationExpiry(now, later(86_400_000))).toEqual(later(86_400_000));
    expect(confirmationExpiry(now, later(30 * 86_400_000))).toEqual(later(CONFIRMATION_LINK_TTL_MS));
    expect(confirmationExpiry(now, now).getTime()).toBeGreaterThan(now.getTime());
  });
});

describe('reminderDue', () => {
  const row = {
    answer: null,
    supersededAt: null,
    expiresAt: later(CONFIRMATION_LINK_TTL_MS),
    lastSentAt: new Date(now.getTime() - REMINDER_AFTER_MS),
    remindersSent: 0,
    sentTo: 'x@facility.test',
  };
  it('reminds an open request left unanswered long enough, a bounded number of times', () => {
    expect(reminderDue(row, now)).toBe(true);
    expect(reminderDue({ ...row, lastSentAt: later(-REMINDER_AFTER_MS + 1) }, now)).toBe(false);
    expect(reminderDue({ ...row, remindersSent: MAX_REMINDERS }, now)).toBe(false);
    expect(reminderDue({ ...row, answer: 'CONFIRMED' }, now)).toBe(false);
    expect(reminderDue({ ...row, supersededAt: now }, now)).toBe(false);
    expect(reminderDue({ ...row, expiresAt: now }, now)).toBe(false);
    expect(reminderDue({ ...row, sentTo: '' }, now)).toBe(false);
  });
});

describe('confirmation tokens', () => {
  it('sign one request under one secret', () => {
    const token = confirmationToken('secret-a', 'request-1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenSignsRequest('secret-a', 'request-1', token)).toBe(true);
    expect(tokenSignsRequest('secret-a', 'request-2', token)).toBe(false);
    expect(tokenSignsRequest('secret-b', 'request-1', token)).toBe(false);
    expect(tokenSignsRequest('secret-a', 'request-1', token.slice(1))).toBe(false);
    expect(hashConfirmationToken(token)).not.toContain(token);
  });
});
