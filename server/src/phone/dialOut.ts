import { randomBytes } from 'node:crypto';
import type { SipMessage } from 'sip';
import { compactE164, type DIAL_OUT_FAILURES } from '@parley/shared';
import type { AttemptThrottleRepository } from '../auth/AttemptThrottleRepository.ts';
import type { Logger } from '../logger.ts';
import { answerChallenge } from './digest.ts';
import type { RtpLeg } from './RtpLeg.ts';
import { buildOffer, parseAnswer, SdpError, type PhoneCodecName, type PhoneMediaOffer } from './sdp.ts';
import type { SipEndpoint, SipFlow } from './SipEndpoint.ts';
import { recordRoute, type PhoneDialog } from './PhoneCall.ts';

export type DialOutFailure = (typeof DIAL_OUT_FAILURES)[number];

/**
 * A phone number in E.164 as Parley dials it ("+" and 7 to 15 digits, no leading 0), from what a
 * person typed (spaces, dots, dashes and brackets are dropped); null when it is not one.
 */
export function parseE164(input: string): string | null {
  return compactE164(input);
}

/** The last two digits of a number: all the session log keeps of it. */
export function numberEnding(e164: string): number {
  return Number(e164.slice(-2));
}

/** Why the far end or the trunk said no, as the session log counts it. */
export function failureOfStatus(status: number): DialOutFailure {
  if (status === 486 || status === 600) return 'BUSY';
  if (status === 408 || status === 480 || status === 487) return 'NO_ANSWER';
  if (status === 603) return 'DECLINED';
  if (status === 401 || status === 407 || status === 403) return 'TRUNK_REFUSED';
  if (status === 404 || status === 410 || status === 484 || status === 485 || status === 604)
    return 'UNREACHABLE';
  return 'ERROR';
}

/** How many dial-outs may be asked for, per person and per call, in a window. */
export const DIAL_OUT_LIMITS = { perRequester: 5, perConsultation: 10, windowMs: 10 * 60_000 };

/**
 * Requests to dial out, limited per requester and per consultation (a person cannot make Parley
 * ring numbers at will). Counted in the AttemptThrottle table, as sign-in and kiosk PIN attempts
 * are, so the limit holds across a restart and on every node: a row per key, its count taken under
 * a row lock. A key that reached its limit stays refused for `windowMs` from the request that
 * reached it.
 */
export class DialOutLimits {
  constructor(
    private readonly attempts: AttemptThrottleRepository,
    readonly limits = DIAL_OUT_LIMITS,
  ) {}

  /** Counts a request and says whether it may go ahead. */
  async take(requesterId: string, consultationId: string, now = new Date()): Promise<boolean> {
    const policy = (maxFailures: number) => ({
      maxFailures,
      windowMs: this.limits.windowMs,
      lockMs: this.limits.windowMs,
    });
    // The person first: someone past their own limit does not use up the call's.
    const person = await this.attempts.recordFailure(
      `dial-out:user:${requesterId}`,
      now,
      policy(this.limits.perRequester),
    );
    if (person.failures > this.limits.perRequester) return false;
    const call = await this.attempts.recordFailure(
      `dial-out:call:${consultationId}`,
      now,
      policy(this.limits.perConsultation),
    );
    return call.failures <= this.limits.perConsultation;
  }
}

/** How long the far end may ring before Parley gives up (CANCEL). */
export const RING_TIMEOUT_MS = 45_000;

export interface OutboundInviteOptions {
  endpoint: SipEndpoint;
  flow: SipFlow;
  /** The E.164 number, the user part of the Request-URI at the trunk. */
  number: string;
  trunk: { host: string; port: number };
  publicAddress: string;
  sipPort: number;
  rtp: RtpLeg;
  credentials: { user: string; password: string } | null;
  logger: Logger;
  ringTimeoutMs?: number;
  /** SIP_CODECS: what the offer proposes, in order (default Opus, PCMU, PCMA). */
  codecs?: readonly PhoneCodecName[];
}

export type OutboundResult =
  | { kind: 'answered'; callId: string; dialog: PhoneDialog; answer: PhoneMediaOffer }
  | { kind: 'failed'; failure: DialOutFailure; status?: number };

/**
 * Parley's INVITE to a phone through the trunk (RFC 3261 §13.2): the offer, a digest answer when
 * the trunk challenges (once; 401 or 407), a CANCEL when nobody answers in time, the ACK of the
 * 2xx (again for each repeat of it). Resolves once: answered, with the dialog and the far end's
 * answer, or failed, with why.
 */
export function sendOutboundInvite(options: OutboundInviteOptions): {
  result: Promise<OutboundResult>;
  /** Gives up before an answer (CANCEL); no effect once answered. */
  cancel: () => void;
} {
  const { endpoint, flow, number, trunk, publicAddress, sipPort, rtp, logger } = options;
  const callId = `${randomBytes(12).toString('hex')}@${publicAddress}`;
  const localTag = randomBytes(8).toString('hex');
  const uri = `sip:${number}@${trunk.host}:${trunk.port}`;
  const from = { uri: `sip:parley@${publicAddress}`, params: { tag: localTag } };
  const to = { uri: `sip:${number}@${trunk.host}`, params: {} };
  const offer = buildOffer(
    {
      address: publicAddress,
      port: rtp.localPort,
      sessionId: Math.floor(Date.now() / 1000),
    },
    options.codecs,
  );
  let seq = 1;
  let authenticated = false;
  let settled = false;
  let answered: SipMessage | null = null;
  let current: SipMessage | null = null;
  let provisional = false;
  let cancelled = false;
  let resolve!: (result: OutboundResult) => void;
  const result = new Promise<OutboundResult>((r) => (resolve = r));
  const finish = (outcome: OutboundResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(ringTimer);
    resolve(outcome);
  };

  const invite = (authorization?: { header: string; value: string }): SipMessage => ({
    method: 'INVITE',
    uri,
    version: '2.0',
    headers: {
      to: { ...to, params: {} },
      from: { ...from, params: { ...from.params } },
      'call-id': callId,
      cseq: { seq, method: 'INVITE' },
      contact: [{ uri: `sip:parley@${publicAddress}:${sipPort}`, params: {} }],
      'max-forwards': 70,
      allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO',
      'content-type': 'application/sdp',
      ...(authorization ? { [authorization.header]: authorization.value } : {}),
    },
    content: offer,
  });

  // RFC 3261 §12.1.2: the UAC's route set is the 2xx's Record-Route, reversed.
  const routeOf = (response: SipMessage) => {
    const routeSet = recordRoute(response).reverse();
    return routeSet.length > 0 ? { route: routeSet } : {};
  };

  /** A request inside the dialog the 2xx `response` made (to its Contact, along its route set). */
  const inDialog = (response: SipMessage, method: 'ACK' | 'BYE', cseq: number) => ({
    method,
    uri: response.headers.contact?.[0]?.uri ?? uri,
    version: '2.0',
    headers: {
      ...routeOf(response),
      to: response.headers.to!,
      from: { ...from, params: { ...from.params } },
      'call-id': callId,
      cseq: { seq: cseq, method },
      'max-forwards': 70,
      'content-length': 0,
    },
    content: '',
  });

  const ack = (response: SipMessage) => {
    endpoint.sendStateless(flow, inDialog(response, 'ACK', response.headers.cseq?.seq ?? seq));
  };

  const byeAfterAnswer = (response: SipMessage) => {
    // Answered after Parley gave up (a CANCEL crossing the 200): accept and hang up at once.
    ack(response);
    endpoint.sendRequest(flow, inDialog(response, 'BYE', seq + 1));
  };

  const onResponse = (response: SipMessage) => {
    const status = response.status ?? 0;
    if (response.headers.cseq?.method !== 'INVITE' || response.headers.cseq.seq !== seq) return;
    if (status < 200) {
      provisional = true;
      if (cancelled) sendCancel();
      return;
    }
    if (status < 300) {
      // A repeat of the 2xx: its ACK again, nothing else.
      if (answered) return ack(response);
      answered = response;
      if (cancelled || settled) return byeAfterAnswer(response);
      ack(response);
      let answer: PhoneMediaOffer;
      try {
        answer = parseAnswer(response.content, options.codecs);
      } catch (error) {
        if (!(error instanceof SdpError)) throw error;
        logger.warn({ code: error.code }, 'the answer to a dial-out cannot be used: hanging up');
        byeAfterAnswer(response);
        return finish({ kind: 'failed', failure: 'ERROR', status });
      }
      const remote = response.headers.to!;
      return finish({
        kind: 'answered',
        callId,
        answer,
        dialog: {
          localTag,
          remoteTag: remote.params.tag ?? undefined,
          local: { uri: from.uri, params: {} },
          remote: { ...remote, params: { ...remote.params } },
          target: response.headers.contact?.[0]?.uri ?? uri,
          routeSet: recordRoute(response).reverse(),
        },
      });
    }
    if ((status === 401 || status === 407) && !authenticated && options.credentials && !cancelled) {
      const challenges = response.headers[status === 401 ? 'www-authenticate' : 'proxy-authenticate'];
      const challenge = Array.isArray(challenges) ? (challenges[0] as Record<string, string>) : undefined;
      const value = answerChallenge(challenge, options.credentials, 'INVITE', uri);
      if (value) {
        authenticated = true;
        seq++;
        current = invite({ header: status === 401 ? 'authorization' : 'proxy-authorization', value });
        provisional = false;
        endpoint.sendClientRequest(flow, current, onResponse);
        return;
      }
    }
    finish({ kind: 'failed', failure: cancelled ? 'NO_ANSWER' : failureOfStatus(status), status });
  };

  const sendCancel = () => {
    if (!current || !provisional || answered) return;
    // RFC 3261 §9.1: the INVITE's Request-URI, Call-ID, From, To, CSeq number and top Via (branch).
    endpoint.sendClientRequest(
      flow,
      {
        method: 'CANCEL',
        uri,
        version: '2.0',
        headers: {
          via: current.headers.via,
          to: current.headers.to!,
          from: current.headers.from!,
          'call-id': callId,
          cseq: { seq, method: 'CANCEL' },
          'max-forwards': 70,
          'content-length': 0,
        },
        content: '',
      },
      () => undefined,
      true,
    );
  };

  const cancel = () => {
    if (answered || cancelled) return;
    cancelled = true;
    sendCancel();
    // Without a provisional answer there is nothing to cancel yet; the final answer (or the
    // transaction's own timeout) settles it, and an answer that still comes is hung up.
    setTimeout(() => finish({ kind: 'failed', failure: 'NO_ANSWER' }), 10_000).unref();
  };

  const ringTimer = setTimeout(() => {
    logger.info('nobody answered the dial-out in time: cancelling');
    cancel();
  }, options.ringTimeoutMs ?? RING_TIMEOUT_MS);
  ringTimer.unref();

  current = invite();
  endpoint.sendClientRequest(flow, current, onResponse);
  return { result, cancel };
}
