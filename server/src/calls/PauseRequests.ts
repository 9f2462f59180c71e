import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  PAUSE_REQUEST_TTL_MS,
  PAUSE_REQUESTS_PER_MINUTE,
  type CallRole,
  type PauseRequestView,
} from '@parley/shared';
import { AppError } from '../http/AppError.ts';

/** One "please pause" of an interpreter to a speaker. */
export interface PauseRequest {
  requestId: string;
  fromParticipantId: string;
  toParticipantId: string;
  requestedAt: number;
  acknowledgedAt: number | null;
}

const MINUTE = 60_000;
/** Acknowledgements one speaker may send in a minute (one tap each; more is a fault or an abuse). */
const ACKNOWLEDGEMENTS_PER_MINUTE = 30;

/**
 * The "please pause" requests of one live call (issue 17): an interpreter asks a speaker, the
 * speaker acknowledges with one tap. Pure state with its rules and rate limits; the LiveCall logs
 * and shows what it returns. A request lasts PAUSE_REQUEST_TTL_MS; a speaker has at most one open
 * (a new one replaces it). Refusals are AppErrors (CONFLICT, RATE_LIMITED) and change nothing.
 */
export class PauseRequests {
  private readonly requests = new Map<string, PauseRequest>();
  /** Recent uses per person, for the rate limits. */
  private readonly uses = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** An interpreter asks `toParticipantId` to pause. */
  ask(fromParticipantId: string, toParticipantId: string): PauseRequest {
    this.take(`ask ${fromParticipantId}`, PAUSE_REQUESTS_PER_MINUTE);
    const now = this.now();
    this.expire(now);
    for (const [id, r] of this.requests)
      if (r.toParticipantId === toParticipantId && r.acknowledgedAt === null) this.requests.delete(id);
    const request: PauseRequest = {
      requestId: randomUUID(),
      fromParticipantId,
      toParticipantId,
      requestedAt: now,
      acknowledgedAt: null,
    };
    this.requests.set(request.requestId, request);
    return request;
  }

  /** The speaker it was asked of acknowledges it. */
  acknowledge(requestId: string, byParticipantId: string): PauseRequest {
    this.take(`acknowledge ${byParticipantId}`, ACKNOWLEDGEMENTS_PER_MINUTE);
    this.expire(this.now());
    const request = this.requests.get(requestId);
    // Someone else's request reads as no request: nothing about it is told.
    if (!request || request.toParticipantId !== byParticipantId)
      throw new AppError(ErrorCode.CONFLICT, 'There is no request to pause open for you', 409);
    if (request.acknowledgedAt !== null)
      throw new AppError(ErrorCode.CONFLICT, 'You acknowledged this request already', 409);
    request.acknowledgedAt = this.now();
    return request;
  }

  /** A participant left the call: requests to or from them go. True when any did. */
  forget(participantId: string): boolean {
    let changed = false;
    for (const [id, r] of this.requests)
      if (r.fromParticipantId === participantId || r.toParticipantId === participantId) {
        this.requests.delete(id);
        changed = true;
      }
    return changed;
  }

  /** Drops requests older than their time to live. True when any went. */
  expire(now = this.now()): boolean {
    let changed = false;
    for (const [id, r] of this.requests)
      if (now - r.requestedAt >= PAUSE_REQUEST_TTL_MS) {
        this.requests.delete(id);
        changed = true;
      }
    return changed;
  }

  /**
   * What `viewerId` may see: an interpreter the requests they made (and the acknowledgement); a
   * speaker the open ones asked of them; anyone else nothing. Another interpreter's request is not
   * shown: during a sidebar it would tell an interpreter outside it that someone inside is talking.
   */
  viewFor(viewerId: string | null, role: CallRole | null): PauseRequestView[] {
    if (viewerId === null) return [];
    const shown = [...this.requests.values()].filter((r) =>
      role === 'INTERPRETER'
        ? r.fromParticipantId === viewerId
        : r.toParticipantId === viewerId && r.acknowledgedAt === null,
    );
    return shown.map((r) => ({
      requestId: r.requestId,
      fromParticipantId: r.fromParticipantId,
      toParticipantId: r.toParticipantId,
      requestedAt: new Date(r.requestedAt).toISOString(),
      acknowledgedAt: r.acknowledgedAt === null ? null : new Date(r.acknowledgedAt).toISOString(),
    }));
  }

  /** The request open for `participantId` (asked of them, not acknowledged, not lapsed), if any. */
  openFor(participantId: string): PauseRequest | null {
    this.expire(this.now());
    for (const r of this.requests.values())
      if (r.toParticipantId === participantId && r.acknowledgedAt === null) return { ...r };
    return null;
  }

  /**
   * The requests that have not lapsed, as a call's snapshot keeps them (LiveCall.snapshot: with
   * several nodes, in Redis), so that a call re-created on another node still shows them.
   */
  snapshot(): PauseRequest[] {
    this.expire(this.now());
    return [...this.requests.values()].map((r) => ({ ...r }));
  }

  /**
   * Takes back the requests of a snapshot (a call re-created from another node's), those that have
   * not lapsed, with their ids and times. The rate limits start afresh.
   */
  restore(requests: readonly PauseRequest[]): void {
    for (const r of requests) this.requests.set(r.requestId, { ...r });
    this.expire(this.now());
  }

  private take(key: string, max: number): void {
    const now = this.now();
    const recent = (this.uses.get(key) ?? []).filter((at) => now - at < MINUTE);
    if (recent.length >= max) {
      this.uses.set(key, recent);
      throw new AppError(ErrorCode.RATE_LIMITED, 'Too many requests to pause; wait a moment', 429);
    }
    recent.push(now);
    this.uses.set(key, recent);
  }
}
