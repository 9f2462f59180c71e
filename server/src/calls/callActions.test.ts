import { describe, expect, it } from 'vitest';
import { ErrorCode, type CallRole } from '@parley/shared';
import { AppError } from '../http/AppError.ts';
import { assertRole, CALL_ACTION_ROLES, mayAct, seatedIn } from './callActions.ts';
import type { LiveCall } from './LiveCall.ts';

const ROLES: CallRole[] = ['ATTORNEY', 'INTERPRETER', 'CLIENT', 'STAFF'];

function refusal(run: () => unknown): { code: string; status: number } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, status: error.status };
  }
}

describe('call actions: who may ask for what', () => {
  it('the attorney alone starts a sidebar; interpreters alone drive the desk; speakers acknowledge pauses', () => {
    const allowed = (action: keyof typeof CALL_ACTION_ROLES) => ROLES.filter((r) => mayAct(action, r));
    expect(allowed('setSidebar')).toEqual(['ATTORNEY']);
    expect(allowed('setInterpretation')).toEqual(['INTERPRETER']);
    expect(allowed('setInterpreterOutput')).toEqual(['INTERPRETER']);
    expect(allowed('handover')).toEqual(['INTERPRETER']);
    expect(allowed('acknowledgePause')).toEqual(['ATTORNEY', 'CLIENT']);
    expect(allowed('endCall')).toEqual(['ATTORNEY', 'STAFF']);
  });

  it('refuses another role with FORBIDDEN_ROLE (403), and passes an allowed one', () => {
    expect(refusal(() => assertRole('CLIENT', CALL_ACTION_ROLES.setSidebar))).toEqual({
      code: ErrorCode.FORBIDDEN_ROLE,
      status: 403,
    });
    expect(refusal(() => assertRole('ATTORNEY', CALL_ACTION_ROLES.setSidebar))).toBeNull();
  });

  it('refuses no seat, no call or an ended call with NOT_IN_CONSULTATION (409)', () => {
    const open = { isEnded: false } as LiveCall;
    const ended = { isEnded: true } as LiveCall;
    const notIn = { code: ErrorCode.NOT_IN_CONSULTATION, status: 409 };
    expect(refusal(() => seatedIn(open, undefined))).toEqual(notIn);
    expect(refusal(() => seatedIn(undefined, { id: 'x' }))).toEqual(notIn);
    expect(refusal(() => seatedIn(ended, { id: 'x' }))).toEqual(notIn);
    expect(seatedIn(open, { id: 'x' })).toEqual({ call: open, seat: { id: 'x' } });
  });
});
