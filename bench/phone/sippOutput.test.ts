import { describe, expect, it } from 'vitest';
import { callTotals, firstReceived, messageCounts, parseSippCsv, responseTimes } from './sippOutput.ts';

// Written by sipp 3.6.1 (Debian) for the flood scenario: 20 INVITEs, 10 answered 503, 10 met silence.
const STAT = [
  'StartTime;LastResetTime;CurrentTime;ElapsedTime(P);ElapsedTime(C);TargetRate;CallRate(P);CallRate(C);IncomingCall(P);IncomingCall(C);OutgoingCall(P);OutgoingCall(C);TotalCallCreated;CurrentCall;SuccessfulCall(P);SuccessfulCall(C);FailedCall(P);FailedCall(C);FailedCannotSendMessage(P);FailedCannotSendMessage(C);FailedMaxUDPRetrans(P);FailedMaxUDPRetrans(C);FailedTcpConnect(P);FailedTcpConnect(C);FailedTcpClosed(P);FailedTcpClosed(C);FailedUnexpectedMessage(P);FailedUnexpectedMessage(C);FailedCallRejected(P);FailedCallRejected(C);FailedCmdNotSent(P);FailedCmdNotSent(C);FailedRegexpDoesntMatch(P);FailedRegexpDoesntMatch(C);FailedRegexpShouldntMatch(P);FailedRegexpShouldntMatch(C);FailedRegexpHdrNotFound(P);FailedRegexpHdrNotFound(C);FailedOutboundCongestion(P);FailedOutboundCongestion(C);FailedTimeoutOnRecv(P);FailedTimeoutOnRecv(C);FailedTimeoutOnSend(P);FailedTimeoutOnSend(C);FailedTestDoesntMatch(P);FailedTestDoesntMatch(C);FailedTestShouldntMatch(P);FailedTestShouldntMatch(C);FailedStrcmpDoesntMatch(P);FailedStrcmpDoesntMatch(C);FailedStrcmpShouldntMatch(P);FailedStrcmpShouldntMatch(C);OutOfCallMsgs(P);OutOfCallMsgs(C);DeadCallMsgs(P);DeadCallMsgs(C);Retransmissions(P);Retransmissions(C)\n',
  '2026-12-02\t08:10:28.479255\t1796199028.479255;2026-12-02\t08:10:31.994546\t1796199031.994546;2026-12-02\t08:10:31.994672\t1796199031.994672;00:00:00;00:00:03;10;0;5.6899;0;0;0;20;20;0;0;10;0;10;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;10;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0\n',
].join('');
const COUNTS = [
  'CurrentTime;ElapsedTime;0_INVITE_Sent;0_INVITE_Retrans;1_100_Recv;1_100_Retrans;1_100_Timeout;1_100_Unexp;2_503_Recv;2_503_Retrans;2_503_Timeout;2_503_Unexp;3_200_Recv;3_200_Retrans;3_200_Timeout;3_200_Unexp;4_ACK_Sent;4_ACK_Retrans;5_BYE_Sent;5_BYE_Retrans;6_200_Recv;6_200_Retrans;6_200_Timeout;6_200_Unexp;7_Pause_Sessions;7_Pause_Unexp;8_ACK_Sent;8_ACK_Retrans;9_Pause_Sessions;9_Pause_Unexp;\n',
  '2026-12-02\t08:10:29.489750\t1796199029.489750;00:00:01:010000;9;0;0;0;0;0;9;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;9;0;0;0;\n',
  '2026-12-02\t08:10:31.994686\t1796199031.994686;00:00:03:515000;20;0;0;0;10;0;10;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;10;0;0;0;\n',
].join('');
const RTT = 'Date_ms;response_time_ms;rtd_no\n108.001;4;setup\n208.001;12;setup\n';

describe('sipp output', () => {
  it('reads the statistics’ last row: calls created, successful, failed on a receive timeout', () => {
    expect(callTotals(STAT)).toEqual({
      created: 20,
      successful: 10,
      failed: 10,
      failedTimeoutOnRecv: 10,
      failedUnexpectedMessage: 0,
      deadCallMessages: 0,
    });
  });

  it('reads each scenario step’s counters at exit, in step order', () => {
    const counts = messageCounts(COUNTS);
    expect(counts.find((c) => c.step === 0 && c.counter === 'Sent')).toEqual({
      step: 0,
      message: 'INVITE',
      counter: 'Sent',
      value: 20,
    });
    expect(firstReceived(counts, '503')).toBe(10);
    expect(counts.find((c) => c.message === '100' && c.counter === 'Timeout')?.value).toBe(10);
    expect(firstReceived(counts, '200')).toBe(0);
    expect(counts.map((c) => c.step)).toEqual([...counts.map((c) => c.step)].sort((a, b) => a - b));
  });

  it('takes the first step of a message, not a later one of the same name', () => {
    const csv = 'CurrentTime;ElapsedTime;0_INVITE_Sent;1_200_Recv;2_BYE_Sent;3_200_Recv;\nt;e;5;4;4;3;\n';
    expect(firstReceived(messageCounts(csv), '200')).toBe(4);
    expect(firstReceived(messageCounts(csv), '403')).toBe(0);
  });

  it('reads the response times in milliseconds', () => {
    expect(responseTimes(RTT)).toEqual([4, 12]);
  });

  it('gives nothing for an empty or header-only file', () => {
    expect(parseSippCsv('')).toEqual([]);
    expect(callTotals('StartTime;TotalCallCreated\n')).toBeUndefined();
    expect(messageCounts('')).toEqual([]);
    expect(responseTimes('Date_ms;response_time_ms;rtd_no\n')).toEqual([]);
  });
});
