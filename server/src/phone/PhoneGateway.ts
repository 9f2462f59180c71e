import type { SipMessage } from 'sip';
import { decideCallSeat, type CallRequester } from '../calls/callAccess.ts';
import type { CallAccessRepository, CallConsultation } from '../calls/CallAccessRepository.ts';
import type { LiveCall, Seat } from '../calls/LiveCall.ts';
import type { Db } from '../db/types.ts';
import { ErrorCode } from '@parley/shared';
import { AppError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { DigestAuth } from './digest.ts';
import { dialogOfInvite, PhoneCall, type JoinedLeg, type PinOutcome } from './PhoneCall.ts';
import { PhoneClock } from './PhoneClock.ts';
import { PhoneKeypad } from './PhoneKeypad.ts';
import { findPhoneSeat, maskNumber, type PhoneRole } from './phonePins.ts';
import { assertedIdentity, PinAttempts, type PinTrier } from './PinAttempts.ts';
import { SINGLE_NODE, type PhonePlacement } from './phonePlacement.ts';
import { PhoneRepository } from './PhoneRepository.ts';
import { loadPrompts, type PromptSet } from './prompts.ts';
import { RoomLeg } from './RoomLeg.ts';
import { SpeakerDecoders } from './SpeakerDecoders.ts';
import { RtpLeg } from './RtpLeg.ts';
import { buildAnswer, parseOffer, SdpError, type PhoneMediaOffer } from './sdp.ts';
import type { SipConfig } from './sipConfig.ts';
import type { SessionLogWriter } from '../sessionLog/SessionLogWriter.ts';
import { lookup } from 'node:dns/promises';
import { randomUUID } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { numberEnding, sendOutboundInvite, type DialOutFailure } from './dialOut.ts';
import { NumberSeal } from './numberSeal.ts';
import { ScheduledDialOutRepository, type ScheduledDialOutRow } from './ScheduledDialOutRepository.ts';
import { ScheduledDialOuts, type DueDialOut } from './ScheduledDialOuts.ts';
import { SipEndpoint, type IncomingRequest } from './SipEndpoint.ts';

/** How the gateway seats a phone in this node's live call (CallSignaling.seatPhone). */
export type SeatPhone = (
  consultation: CallConsultation,
  seat: Seat,
) => Promise<{ call: LiveCall; media: Awaited<ReturnType<LiveCall['join']>> }>;

export interface PhoneGatewayDeps {
  config: SipConfig;
  logger: Logger;
  db: Db;
  calls: CallAccessRepository;
  seatPhone: SeatPhone;
  /** Which engine moves media here: phone legs need plain RTP legs (mediasoup). */
  engineName: string;
  pinAttempts?: PinAttempts;
  prompts?: PromptSet;
  /** Where a phone leg's call is held (a cluster's registry); default: this one process holds every call. */
  placement?: PhonePlacement;
  /** The session log: dial-outs are recorded there (PHONE_DIAL_OUT, metadata only). */
  log?: Pick<SessionLogWriter, 'record'>;
}

/** A request to call a participant's phone (POST /api/calls/:id/phone/dial-out), checked by the route. */
export interface DialOutRequest {
  consultation: CallConsultation;
  role: PhoneRole;
  /** E.164 (parseE164). Held in memory while it is needed, never stored or logged in clear. */
  number: string;
  requestedBy: { userId: string; role: string };
}

/** What became of a dial-out request at once: placed now, or waiting for the call to start. */
export type DialOutAccepted =
  { status: 'DIALLING'; dialOutId: string } | { status: 'SCHEDULED'; dialOutId: string; at: Date };

/** How far ahead a dial-out may wait for its call (it is kept in the database: ScheduledDialOuts). */
const MAX_SCHEDULE_AHEAD_MS = 24 * 3600_000;

/** The gateways of running servers, by their SIP settings: how the API reaches this process's gateway. */
const gateways = new WeakMap<SipConfig, PhoneGateway>();

/** The phone gateway started with `config` in this process, if any. */
export function gatewayFor(config: SipConfig | undefined): PhoneGateway | undefined {
  return config ? gateways.get(config) : undefined;
}

const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';

/**
 * Parley's phone gateway: answers calls from the SIP trunk or PBX, asks for the PIN, seats the
 * caller in the consultation's live call as device PHONE (the PIN decides the seat by
 * decideCallSeat's rules) and bridges their audio: Opus into the room, a per-listener G.711 mix
 * back. Starts only when SIP is configured (SIP_* settings).
 */
export class PhoneGateway {
  readonly calls = new Map<string, PhoneCall>();
  readonly clock = new PhoneClock();
  readonly pinAttempts: PinAttempts;
  private readonly prompts: PromptSet;
  private readonly repository: PhoneRepository;
  private readonly digest: DigestAuth | null;
  private readonly logger: Logger;
  private endpoint!: SipEndpoint;
  private stopClock: (() => void) | null = null;
  private closed = false;
  /** Each speaker's Opus decoded once for all phone listeners here. */
  readonly decoders = new SpeakerDecoders();
  /** Dial-outs ringing now (cancelled on close), by id. */
  private readonly ringing = new Map<string, () => void>();
  /** Dial-outs waiting for their call to start: stored, so a restart or another node rings them. */
  private readonly scheduledDialOuts: ScheduledDialOuts | null;

  private constructor(private readonly deps: PhoneGatewayDeps) {
    this.logger = deps.logger.child({ component: 'phone' });
    this.prompts = deps.prompts ?? loadPrompts();
    this.pinAttempts = deps.pinAttempts ?? new PinAttempts();
    this.repository = new PhoneRepository(deps.db);
    this.digest = deps.config.digest
      ? new DigestAuth(deps.config.digest, deps.config.digest.nonceSecret)
      : null;
    const secret = deps.config.pinSecret;
    this.scheduledDialOuts =
      deps.config.trunk && secret
        ? new ScheduledDialOuts({
            repository: new ScheduledDialOutRepository(deps.db),
            seal: new NumberSeal(secret),
            logger: this.logger,
            ring: (due, claim) => this.dialScheduled(due, claim),
            missed: (row, why) => void this.recordMissedDialOut(row, why),
          })
        : null;
  }

  static async start(deps: PhoneGatewayDeps): Promise<PhoneGateway> {
    const gateway = new PhoneGateway(deps);
    gateway.endpoint = await SipEndpoint.start(deps.config, gateway.logger, (incoming) =>
      gateway.onRequest(incoming),
    );
    gateways.set(deps.config, gateway);
    await gateway.scheduledDialOuts?.start();
    const { listenAddress, udpPort, tcpPort } = deps.config;
    gateway.logger.info({ listenAddress, udpPort, tcpPort }, 'phone gateway listening for SIP');
    if (deps.engineName !== 'mediasoup')
      gateway.logger.warn(
        { engine: deps.engineName },
        'phone legs need the mediasoup engine (plain RTP legs): callers will hear that the call cannot be connected',
      );
    return gateway;
  }

  /** What the SIP socket counted (malformed, refused sources, floods). */
  get counters() {
    return this.endpoint.counters;
  }

  /** Hangs up every phone leg (BYE) and closes the SIP sockets. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (gateways.get(this.deps.config) === this) gateways.delete(this.deps.config);
    for (const cancel of this.ringing.values()) cancel();
    this.scheduledDialOuts?.close();
    for (const call of [...this.calls.values()]) call.hangUp();
    this.stopClock?.();
    // The BYEs leave before the sockets close.
    setTimeout(() => this.endpoint.close(), 50).unref();
  }

  private onRequest(incoming: IncomingRequest): void {
    const { request, flow } = incoming;
    const callId = request.headers['call-id']!;
    const call = this.calls.get(callId);
    const toTag = request.headers.to?.params.tag;
    switch (request.method) {
      case 'INVITE':
        if (toTag === undefined || toTag === null) return this.onInvite(incoming);
        if (!call?.inDialog(request, flow)) return incoming.respond(481, 'Call/Transaction Does Not Exist');
        return this.onReInvite(call, incoming);
      case 'ACK':
        if (call?.inDialog(request, flow)) call.onAck();
        return;
      case 'BYE':
        // Someone else's dialog, or none: refused, and nothing happens to any call.
        if (!call?.inDialog(request, flow)) return incoming.respond(481, 'Call/Transaction Does Not Exist');
        return call.onBye(incoming);
      case 'INFO':
        if (!call?.inDialog(request, flow)) return incoming.respond(481, 'Call/Transaction Does Not Exist');
        return call.onInfo(incoming);
      case 'CANCEL':
        // INVITEs are answered at once: by the time a CANCEL comes there is nothing pending.
        return incoming.respond(481, 'Call/Transaction Does Not Exist');
      case 'OPTIONS':
        return incoming.respond(200, 'OK', { headers: { allow: ALLOW, accept: 'application/sdp' } });
      default:
        return incoming.respond(405, 'Method Not Allowed', { headers: { allow: ALLOW } });
    }
  }

  private onInvite(incoming: IncomingRequest): void {
    const { request, flow } = incoming;
    const now = Date.now();
    const callId = request.headers['call-id']!;
    if (this.closed) return incoming.respond(503, 'Service Unavailable');
    if (this.calls.has(callId)) return incoming.respond(482, 'Loop Detected');
    // An INVITE flood (past the source's calls a minute) is refused by the SipEndpoint, before any transaction.
    if (this.calls.size >= this.deps.config.maxCalls) return incoming.respond(486, 'Busy Here');
    if (this.digest) {
      const authorization = request.headers.authorization?.[0];
      const verdict = this.digest.verify('INVITE', request.uri ?? '', authorization, now, callId);
      if (verdict !== 'ok')
        return incoming.respond(401, 'Unauthorized', {
          toTag: 'auth',
          // A string: the sip package writes an array's items as objects (garbage for a string).
          headers: { 'www-authenticate': this.digest.challenge(now, verdict === 'stale', callId) },
        });
    }
    let offer: PhoneMediaOffer;
    try {
      const type = (request.headers['content-type'] ?? '').toLowerCase();
      if (!type.startsWith('application/sdp')) throw new SdpError('MALFORMED', 'No SDP offer');
      offer = parseOffer(request.content, this.deps.config.codecs);
    } catch (error) {
      if (!(error instanceof SdpError)) throw error;
      this.logger.info({ code: error.code }, 'refused a phone call: its offer cannot be answered');
      return incoming.respond(488, 'Not Acceptable Here', {
        headers: { warning: `399 parley "${error.code}"` },
      });
    }
    // Who tries PINs: the source address and what the trunk asserts, never the caller-chosen From.
    const caller: PinTrier = {
      source: flow.address,
      identity: assertedIdentity(request.headers['p-asserted-identity']),
    };
    const logger = this.logger.child({
      sipCallId: callId.slice(0, 64),
      caller: maskNumber(fromUser(request)),
    });
    incoming.respond(100, 'Trying');
    this.answerInvite(incoming, offer, caller, logger).catch((err: unknown) => {
      logger.error({ err }, 'answering a phone call failed');
      incoming.respond(500, 'Server Internal Error');
    });
  }

  private async answerInvite(
    incoming: IncomingRequest,
    offer: PhoneMediaOffer,
    caller: PinTrier,
    logger: Logger,
  ): Promise<void> {
    const { request, flow } = incoming;
    const callId = request.headers['call-id']!;
    // The RTP leg exists before the call it feeds: its events reach the call once there is one.
    const leg: { call?: PhoneCall } = {};
    let rtp: RtpLeg;
    try {
      rtp = await RtpLeg.open(this.deps.config.listenAddress, this.deps.config.rtpPorts, offer, {
        audio: (frame) => leg.call?.onAudio(frame),
        key: (key) => leg.call?.onKey(key),
      });
    } catch {
      return incoming.respond(503, 'Service Unavailable');
    }
    if (this.closed) {
      rtp.close();
      return incoming.respond(503, 'Service Unavailable');
    }
    const sdp = buildAnswer(offer, {
      address: this.deps.config.publicAddress,
      port: rtp.localPort,
      sessionId: Math.floor(Date.now() / 1000),
    });
    const sipPort = (flow.protocol === 'UDP' ? this.deps.config.udpPort : this.deps.config.tcpPort) ?? 5060;
    const dialog = dialogOfInvite(request);
    const answer = (status: number, reason: string) =>
      incoming.respond(status, reason, {
        toTag: dialog.localTag,
        content: sdp,
        headers: {
          'content-type': 'application/sdp',
          contact: [
            {
              uri: `sip:parley@${this.deps.config.publicAddress}:${sipPort};transport=${flow.protocol.toLowerCase()}`,
              params: {},
            },
          ],
          allow: ALLOW,
          // RFC 3261 §12.1.1: a 2xx carries the request's Record-Route, so the proxies stay on the path.
          ...(dialog.routeSet.length > 0 ? { 'record-route': dialog.routeSet } : {}),
        },
      });
    const call = new PhoneCall(callId, dialog, flow, rtp, answer, {
      logger,
      prompts: this.prompts,
      checkPin: (pin) => this.checkPin(pin, caller, logger),
      sendRequest: (to, message) => this.endpoint.sendRequest(to, message),
      onEnded: this.callEnded,
      publicAddress: this.deps.config.publicAddress,
      sipPort,
    });
    leg.call = call;
    this.calls.set(callId, call);
    answer(200, 'OK');
    this.startClock();
    logger.info({ codec: offer.codec.law, transport: flow.protocol }, 'answered a phone call');
  }

  private startClock(): void {
    this.stopClock ??= this.clock.subscribe((dueAt) => {
      for (const leg of this.calls.values()) leg.onFrame(dueAt);
    });
  }

  private callEnded = (ended: PhoneCall): void => {
    if (this.calls.get(ended.callId) === ended) this.calls.delete(ended.callId);
    if (this.calls.size === 0) {
      this.stopClock?.();
      this.stopClock = null;
    }
  };

  /**
   * Calls a participant's phone through the trunk: now if the call is open, else when it starts
   * (stored, the number sealed; a second request for the same seat replaces the first). The
   * callee lands in their seat with their routing plan, no PIN asked. Refusals that are known at
   * once throw an AppError; what happens later (answered, busy, no answer) is in the session log.
   */
  async dialOut(request: DialOutRequest): Promise<DialOutAccepted> {
    const trunk = this.deps.config.trunk;
    if (!trunk || this.deps.config.udpPort === null)
      throw new AppError(ErrorCode.CONFLICT, 'This Parley has no SIP trunk to call out through', 409);
    if (this.closed)
      throw new AppError(ErrorCode.TIMEOUT, 'Parley is restarting; try again in a moment', 503);
    const { consultation, role } = request;
    const dialOutId = randomUUID();
    const logger = this.logger.child({ dialOutId, consultationId: consultation.id, role });
    const seat = await this.seatFor(consultation, role, logger);
    if (seat.kind === 'unavailable')
      throw new AppError(
        ErrorCode.CONFLICT,
        'This call is held on another Parley node; ask again there or once it has ended',
        409,
      );
    const participantId = participantOf(consultation, role);
    if (seat.kind === 'closed') {
      const waitMs = consultation.startsAt.getTime() - Date.now();
      if (seat.error.code !== ErrorCode.CALL_NOT_OPEN || waitMs <= 0 || waitMs > MAX_SCHEDULE_AHEAD_MS)
        throw seat.error;
      // Not open yet: ring when the call starts.
      if (!this.scheduledDialOuts)
        throw new AppError(
          ErrorCode.CONFLICT,
          'This Parley cannot keep a number for later: set SIP_PIN_SECRET',
          409,
        );
      await this.scheduledDialOuts.schedule({
        id: dialOutId,
        organizationId: consultation.organizationId,
        consultationId: consultation.id,
        role,
        number: request.number,
        numberEnding: numberEnding(request.number),
        requestedBy: request.requestedBy,
        dueAt: consultation.startsAt,
      });
      this.recordDialOut(request, dialOutId, participantId, 'SCHEDULED');
      logger.info({ at: consultation.startsAt }, 'a dial-out waits for its call to start');
      return { status: 'SCHEDULED', dialOutId, at: consultation.startsAt };
    }
    await this.placeCall(request, dialOutId, seat, logger);
    return { status: 'DIALLING', dialOutId };
  }

  /**
   * A scheduled dial-out's time came: the call is read again and must be open now. The node that
   * holds the call rings it (claiming the row first, which only one node can); another node leaves
   * it to that one.
   */
  private async dialScheduled(due: DueDialOut, claim: () => Promise<boolean>): Promise<void> {
    const logger = this.logger.child({
      dialOutId: due.id,
      consultationId: due.consultationId,
      role: due.role,
    });
    const consultation = await this.deps.calls.findConsultation(due.organizationId, due.consultationId);
    if (!consultation) return; // deleted: its row went with it
    const request: DialOutRequest = {
      consultation,
      role: due.role,
      number: due.number,
      requestedBy: { userId: due.requestedById, role: due.requestedRole },
    };
    const participantId = participantOf(consultation, due.role);
    try {
      const seat = await this.seatFor(consultation, due.role, logger);
      if (seat.kind === 'unavailable') return; // held on another node: its timer rings it
      if (!(await claim())) return; // another node took it
      if (seat.kind !== 'seat') {
        logger.info('a scheduled dial-out found its call not open');
        this.recordDialOut(request, due.id, participantId, 'FAILED', 'NOT_OPEN');
        return;
      }
      await this.placeCall(request, due.id, seat, logger);
    } catch (err) {
      logger.error({ err }, 'a scheduled dial-out failed');
      this.recordDialOut(request, due.id, participantId, 'FAILED', 'ERROR');
    }
  }

  /** A stored dial-out that was not rung (its call's start passed with no node up, or its seal is not ours). */
  private async recordMissedDialOut(row: ScheduledDialOutRow, why: 'NOT_OPEN' | 'ERROR'): Promise<void> {
    const consultation = await this.deps.calls.findConsultation(row.organizationId, row.consultationId);
    if (!consultation) return;
    this.logger.info({ dialOutId: row.id, why }, 'a scheduled dial-out was not rung');
    this.deps.log?.record({
      organizationId: row.organizationId,
      consultationId: row.consultationId,
      type: 'PHONE_DIAL_OUT',
      actorUserId: row.requestedById,
      actorRole: row.requestedRole,
      payload: {
        dialOutId: row.id,
        participantId: participantOf(consultation, row.role),
        role: row.role,
        outcome: 'FAILED',
        failure: why,
        numberEnding: row.numberEnding,
      },
    });
  }

  private async placeCall(
    request: DialOutRequest,
    dialOutId: string,
    seat: { participantId: string; join: () => Promise<JoinedLeg> },
    logger: Logger,
  ): Promise<void> {
    const config = this.deps.config;
    const trunk = config.trunk!;
    const refuse = (failure: DialOutFailure, error: AppError): never => {
      this.recordDialOut(request, dialOutId, seat.participantId, 'FAILED', failure);
      throw error;
    };
    if (this.calls.size + this.ringing.size >= config.maxCalls)
      refuse(
        'ERROR',
        new AppError(ErrorCode.TIMEOUT, 'Every phone line of this Parley is busy; try again soon', 503),
      );
    let address = trunk.host;
    if (!isIPv4(address)) {
      try {
        address = (await lookup(trunk.host, { family: 4 })).address;
      } catch {
        logger.warn({ trunk: trunk.host }, 'the SIP trunk’s name does not resolve');
        refuse('UNREACHABLE', new AppError(ErrorCode.CONFLICT, 'The SIP trunk cannot be reached', 409));
      }
    }
    // Its answers must pass the allow-list (an IPv4 SIP_TRUNK is on it; a name's address may not be).
    if (!this.endpoint.policy.isAllowed(address))
      refuse(
        'TRUNK_REFUSED',
        new AppError(ErrorCode.CONFLICT, 'The SIP trunk’s address is not in SIP_ALLOWED_SOURCES', 409),
      );
    const flow = this.endpoint.udpFlowTo(address, trunk.port)!;
    // The RTP leg exists before the answer says where the far end listens.
    const leg: { call?: PhoneCall } = {};
    let rtp: RtpLeg;
    try {
      rtp = await RtpLeg.open(
        config.listenAddress,
        config.rtpPorts,
        {
          address: '0.0.0.0',
          port: 9,
          codec: { law: 'PCMU', payloadType: 0 },
          telephoneEventPayloadType: null,
        },
        { audio: (frame) => leg.call?.onAudio(frame), key: (key) => leg.call?.onKey(key) },
      );
    } catch {
      return refuse(
        'ERROR',
        new AppError(ErrorCode.TIMEOUT, 'No free RTP port for a phone call; try again soon', 503),
      );
    }
    const sipPort = config.udpPort ?? 5060;
    this.recordDialOut(request, dialOutId, seat.participantId, 'DIALLED');
    logger.info({ number: maskNumber(request.number) }, 'dialling out through the trunk');
    const outbound = sendOutboundInvite({
      endpoint: this.endpoint,
      flow,
      number: request.number,
      trunk: { host: trunk.host, port: trunk.port },
      publicAddress: config.publicAddress,
      sipPort,
      rtp,
      credentials: config.trunkAuth ?? null,
      logger,
      codecs: config.codecs,
    });
    this.ringing.set(dialOutId, outbound.cancel);
    void outbound.result.then((result) => {
      this.ringing.delete(dialOutId);
      if (result.kind === 'failed' || this.closed) {
        rtp.close();
        const failure = result.kind === 'failed' ? result.failure : 'ERROR';
        logger.info(
          { failure, status: result.kind === 'failed' ? result.status : undefined },
          'a dial-out failed',
        );
        this.recordDialOut(request, dialOutId, seat.participantId, 'FAILED', failure);
        return;
      }
      rtp.update(result.answer);
      const call = new PhoneCall(
        result.callId,
        result.dialog,
        flow,
        rtp,
        null,
        {
          logger: logger.child({ sipCallId: result.callId.slice(0, 64) }),
          prompts: this.prompts,
          checkPin: () => Promise.resolve({ kind: 'closed' }),
          sendRequest: (to, message) => this.endpoint.sendRequest(to, message),
          onEnded: this.callEnded,
          publicAddress: config.publicAddress,
          sipPort,
        },
        seat.join,
      );
      leg.call = call;
      this.calls.set(result.callId, call);
      this.startClock();
      this.recordDialOut(request, dialOutId, seat.participantId, 'ANSWERED');
      logger.info({ codec: result.answer.codec.law }, 'a dial-out was answered');
    });
  }

  private recordDialOut(
    request: DialOutRequest,
    dialOutId: string,
    participantId: string,
    outcome: 'SCHEDULED' | 'DIALLED' | 'ANSWERED' | 'FAILED',
    failure?: DialOutFailure,
  ): void {
    this.deps.log?.record({
      organizationId: request.consultation.organizationId,
      consultationId: request.consultation.id,
      type: 'PHONE_DIAL_OUT',
      actorUserId: request.requestedBy.userId,
      actorRole: request.requestedBy.role,
      payload: {
        dialOutId,
        participantId,
        role: request.role,
        outcome,
        ...(failure ? { failure } : {}),
        numberEnding: numberEnding(request.number),
      },
    });
  }

  private onReInvite(call: PhoneCall, incoming: IncomingRequest): void {
    const { request } = incoming;
    try {
      if (request.content.length > 0) call.rtp.update(parseOffer(request.content, this.deps.config.codecs));
    } catch (error) {
      if (!(error instanceof SdpError)) throw error;
      return incoming.respond(488, 'Not Acceptable Here', { toTag: call.localTag });
    }
    incoming.respond(200, 'OK', { toTag: call.localTag });
  }

  /**
   * A complete PIN: the seat it opens now, or why not. Failures count per asserted identity, per
   * source and overall (PinAttempts): an identity is locked out, a source or everyone only slowed.
   */
  private async checkPin(pin: string, caller: PinTrier, logger: Logger): Promise<PinOutcome> {
    const admission = this.pinAttempts.admit(caller, Date.now());
    if (admission.kind === 'refused') return { kind: 'blocked' };
    if (admission.kind === 'wait') {
      logger.info({ waitMs: admission.ms }, 'phone PIN checks are spaced out after many wrong PINs');
      await new Promise((resolve) => setTimeout(resolve, admission.ms).unref());
    }
    const now = new Date();
    const secret = this.deps.config.pinSecret;
    const open = secret ? await this.repository.openConsultations(now) : [];
    const found = secret ? findPhoneSeat(secret, open, pin) : null;
    const consultation = found
      ? await this.deps.calls.findConsultation(
          open.find((c) => c.id === found.consultationId)!.organizationId,
          found.consultationId,
        )
      : null;
    if (!found || !consultation) {
      this.pinAttempts.recordFailure(caller, now.getTime());
      logger.info('a wrong phone PIN');
      return this.pinAttempts.identityBlocked(caller, now.getTime())
        ? { kind: 'blocked' }
        : { kind: 'wrong' };
    }
    return this.seatFor(consultation, found.role, logger);
  }

  /**
   * The seat `role` of `consultation` for a phone leg of this node, by decideCallSeat's rules, or
   * why not: closed (with the refusal), or not here (a cluster holds the call on another node).
   */
  async seatFor(
    consultation: CallConsultation,
    role: PhoneRole,
    logger: Logger,
  ): Promise<
    | { kind: 'seat'; participantId: string; join: () => Promise<JoinedLeg> }
    | { kind: 'closed'; error: AppError }
    | { kind: 'unavailable' }
  > {
    const now = new Date();
    // A deactivated person's seat stays closed to them, by phone as in the browser.
    const holderId = role === 'ATTORNEY' ? consultation.attorneyId : consultation.interpreterId;
    if (
      role !== 'CLIENT' &&
      !(holderId && (await this.repository.isActiveUser(consultation.organizationId, holderId)))
    )
      return {
        kind: 'closed',
        error: new AppError(ErrorCode.NOT_IN_CONSULTATION, 'This seat’s holder cannot join', 409),
      };
    let seat;
    try {
      seat = decideCallSeat(consultation, requesterFor(consultation, role), now);
    } catch (error) {
      if (error instanceof AppError) return { kind: 'closed', error };
      throw error;
    }
    const phoneSeat: Seat = { ...seat, device: 'PHONE' };
    // In a cluster the leg's RTP reaches only this node's media engine: the call must be held here.
    const place = await (this.deps.placement ?? SINGLE_NODE).place(consultation.id);
    if (place.kind !== 'here') {
      logger.warn(
        {
          consultationId: consultation.id,
          place: place.kind,
          ...(place.kind === 'elsewhere' ? { nodeId: place.nodeId } : {}),
        },
        'a phone leg was refused: its call is held on another node (phone legs join only where the call is held)',
      );
      return { kind: 'unavailable' };
    }
    return {
      kind: 'seat',
      participantId: phoneSeat.participantId,
      join: async (): Promise<JoinedLeg> => {
        const { call, media: negotiation } = await this.deps.seatPhone(consultation, phoneSeat);
        const media = call.mediaOf(phoneSeat.participantId);
        if (!negotiation || !media) throw new Error('The phone seat got no media');
        try {
          const room = await RoomLeg.connect(
            media,
            negotiation,
            this.deps.config.listenAddress === '0.0.0.0' ? '127.0.0.1' : this.deps.config.listenAddress,
            `phone-${phoneSeat.participantId.slice(0, 8)}`,
            { decoders: this.decoders, room: consultation.id },
          );
          return {
            call,
            participantId: phoneSeat.participantId,
            media,
            room,
            keypad: (voice) =>
              new PhoneKeypad({ call, participantId: phoneSeat.participantId }, voice, logger),
          };
        } catch (error) {
          if (!call.isEnded) call.disconnected(phoneSeat.participantId);
          throw error;
        }
      },
    };
  }
}

/** Who a phone PIN's seat stands for, as decideCallSeat knows requesters. */
function requesterFor(consultation: CallConsultation, role: PhoneRole): CallRequester {
  const organizationId = consultation.organizationId;
  if (role === 'CLIENT')
    return { kind: 'kiosk', deviceId: 'phone', facilityId: consultation.facilityId, organizationId };
  if (role === 'ATTORNEY')
    return {
      kind: 'user',
      userId: consultation.attorneyId,
      organizationId,
      role: 'ATTORNEY',
      name: consultation.attorney.name,
    };
  return {
    kind: 'user',
    userId: consultation.interpreterId ?? '',
    organizationId,
    role: 'INTERPRETER',
    name: consultation.interpreter?.name ?? 'Interpreter',
  };
}

/** The participant id of `role`'s seat, as decideCallSeat makes it. */
function participantOf(consultation: CallConsultation, role: PhoneRole): string {
  if (role === 'CLIENT') return `client:${consultation.id}`;
  return role === 'ATTORNEY' ? consultation.attorneyId : (consultation.interpreterId ?? '');
}

/** The user part of the From URI: the caller's number, as the trunk gives it. */
function fromUser(request: SipMessage): string {
  const uri = request.headers.from?.uri ?? '';
  return /^sips?:([^@;]+)@/i.exec(uri)?.[1] ?? '';
}
