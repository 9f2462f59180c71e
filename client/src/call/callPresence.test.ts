import { describe, expect, it } from 'vitest';
import type { CallParticipantView } from '@parley/shared';
import { callPresence } from './callPresence.ts';

const person = (
  role: CallParticipantView['role'],
  status: CallParticipantView['status'],
  id: string = role,
): CallParticipantView => ({
  participantId: id,
  role,
  displayName: role,
  device: 'BROWSER',
  status,
  muted: { audio: false, video: true },
  quality: null,
});

describe('callPresence', () => {
  it('names every expected role nobody holds', () => {
    expect(callPresence(['ATTORNEY', 'CLIENT', 'INTERPRETER'], [person('ATTORNEY', 'connected')])).toEqual({
      missing: ['CLIENT', 'INTERPRETER'],
      reconnecting: [],
    });
  });

  it('counts someone who left as missing, and a dropped connection as reconnecting', () => {
    expect(
      callPresence(
        ['ATTORNEY', 'CLIENT', 'INTERPRETER'],
        [person('ATTORNEY', 'connected'), person('CLIENT', 'left'), person('INTERPRETER', 'reconnecting')],
      ),
    ).toEqual({ missing: ['CLIENT'], reconnecting: ['INTERPRETER'] });
  });

  it('is satisfied by anyone of the role still there (a second window, a joining tab)', () => {
    expect(
      callPresence(
        ['ATTORNEY', 'CLIENT'],
        [
          person('ATTORNEY', 'reconnecting', 'a1'),
          person('ATTORNEY', 'connecting', 'a2'),
          person('CLIENT', 'connected'),
        ],
      ),
    ).toEqual({ missing: [], reconnecting: [] });
  });

  it('does not wait for an interpreter the consultation was booked without, nor for staff', () => {
    expect(
      callPresence(['ATTORNEY', 'CLIENT'], [person('ATTORNEY', 'connected'), person('CLIENT', 'connected')]),
    ).toEqual({ missing: [], reconnecting: [] });
  });
});
