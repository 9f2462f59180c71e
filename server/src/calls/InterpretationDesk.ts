import {
  DEFAULT_ORIGINAL_LEVEL,
  ErrorCode,
  type HandoverMessage,
  type InterpretationView,
  type InterpreterChannel,
  type InterpreterInput,
  type InterpreterState,
  type LanguageCode,
} from '@parley/shared';
import { AppError } from '../http/AppError.ts';

/** An interpreter booked on the consultation and the two languages they cover. */
export interface BookedInterpreter {
  id: string;
  pair: [LanguageCode, LanguageCode];
}

/** A change of who is live that the session log records. */
export interface Handover {
  fromParticipantId: string | null;
  toParticipantId: string;
  how: 'ACCEPTED' | 'TAKEN_OVER' | 'PARTNER_LEFT';
}

export interface DeskChannel {
  id: string;
  pair: [LanguageCode, LanguageCode];
  input: InterpreterInput;
  renderingInto: LanguageCode | null;
  live: boolean;
}

/**
 * The desk's lasting state, for a call re-created on another node (LiveCall's snapshot): channels
 * and original levels. Pending handover requests are not in it: a partner asks again.
 */
export interface DeskSnapshot {
  channels: DeskChannel[];
  originalLevels: [string, number][];
}

function conflict(message: string): AppError {
  return new AppError(ErrorCode.CONFLICT, message, 409);
}

function samePair(a: readonly LanguageCode[], b: readonly LanguageCode[]): boolean {
  return a.includes(b[0]!) && a.includes(b[1]!);
}

/**
 * The interpreters' side of one live call (issue 17): each interpreter's input (the floor, or relay
 * from another interpreter), the channel they render into, who of a booth pair is live, handover
 * requests between partners, and each listener's original level. Pure state with the rules; the
 * LiveCall applies the routing it yields and logs what it returns. Bad requests throw RangeError
 * (VALIDATION_FAILED) or CONFLICT, and change nothing.
 */
export class InterpretationDesk {
  private readonly booked = new Map<string, BookedInterpreter>();
  private readonly channels = new Map<string, DeskChannel>();
  /** Listener id → original level in percent. */
  private readonly originalLevels = new Map<string, number>();
  /** Pending handover requests: requester → partner asked, and when. */
  private readonly requests = new Map<string, { toId: string; requestedAt: Date }>();

  constructor(
    booked: readonly BookedInterpreter[],
    private readonly defaultPair: [LanguageCode, LanguageCode],
  ) {
    for (const b of booked) this.booked.set(b.id, b);
  }

  pairOf(id: string): [LanguageCode, LanguageCode] {
    return this.booked.get(id)?.pair ?? this.defaultPair;
  }

  /** Booth partners of `id` among `present` (same pair, not themself). */
  partnersOf(id: string, present: ReadonlySet<string>): string[] {
    const pair = this.pairOf(id);
    return [...present].filter((other) => other !== id && samePair(pair, this.pairOf(other)));
  }

  /**
   * An interpreter takes their seat (a rejoin keeps their state). A newcomer works from the floor
   * into nobody, and is live unless a booth partner present is live already. True when new.
   */
  seat(id: string, present: ReadonlySet<string>): boolean {
    if (this.channels.has(id)) return false;
    const partnerLive = this.partnersOf(id, present).some((p) => this.channels.get(p)?.live);
    this.channels.set(id, {
      id,
      pair: this.pairOf(id),
      input: { kind: 'FLOOR' },
      renderingInto: null,
      live: !partnerLive,
    });
    return true;
  }

  private require(id: string): DeskChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new RangeError('This interpreter is not seated');
    return channel;
  }

  setInput(id: string, input: InterpreterInput, present: ReadonlySet<string>): void {
    const channel = this.require(id);
    if (input.kind === 'RELAY') {
      if (input.fromId === id) throw new RangeError('An interpreter cannot relay from themself');
      if (!present.has(input.fromId) || !this.channels.has(input.fromId))
        throw new RangeError('Relay only from another interpreter in this call');
    }
    channel.input = input;
  }

  /** The light switch over the interpreter's pair. */
  setOutput(id: string, renderingInto: LanguageCode | null): void {
    const channel = this.require(id);
    if (renderingInto !== null && !channel.pair.includes(renderingInto))
      throw new RangeError(`This interpreter renders into ${channel.pair[0]} or ${channel.pair[1]}`);
    channel.renderingInto = renderingInto;
  }

  outputOf(id: string): LanguageCode | null {
    return this.channels.get(id)?.renderingInto ?? null;
  }

  setOriginalLevel(listenerId: string, percent: number): void {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw new RangeError('The original level is 0 to 100');
    this.originalLevels.set(listenerId, percent);
  }

  /**
   * A booth partner's handover step. Returns the handover to log when who is live changed, or null.
   * The partner going live takes over the outgoing one's input and channel, so listeners go on
   * hearing their channel, in the other voice, from the plan applied next.
   */
  handover(id: string, action: HandoverMessage['action'], present: ReadonlySet<string>): Handover | null {
    const me = this.require(id);
    const partners = this.partnersOf(id, present).filter((p) => this.channels.has(p));
    switch (action) {
      case 'REQUEST': {
        if (!me.live) throw conflict('Only the live interpreter can ask to hand over');
        const to = partners.find((p) => !this.channels.get(p)?.live) ?? partners[0];
        if (!to) throw conflict('No booth partner is in the call');
        this.requests.set(id, { toId: to, requestedAt: new Date() });
        return null;
      }
      case 'CANCEL':
        if (!this.requests.delete(id)) throw conflict('There is no handover request to withdraw');
        return null;
      case 'ACCEPT': {
        const from = [...this.requests.entries()].find(([, r]) => r.toId === id)?.[0];
        if (!from) throw conflict('Nobody asked you to take over');
        this.requests.delete(from);
        const outgoing = this.channels.get(from);
        this.goLive(me, outgoing);
        if (outgoing) outgoing.live = false;
        return { fromParticipantId: from, toParticipantId: id, how: 'ACCEPTED' };
      }
      case 'TAKE_OVER': {
        if (partners.length === 0) throw conflict('No booth partner is in the call');
        const outgoing = partners.map((p) => this.channels.get(p)!).find((c) => c.live);
        this.goLive(me, outgoing);
        for (const p of partners) this.channels.get(p)!.live = false;
        this.dropRequestsOf([id, ...partners]);
        return { fromParticipantId: outgoing?.id ?? null, toParticipantId: id, how: 'TAKEN_OVER' };
      }
      case 'GO_LIVE':
        me.live = true;
        return null;
      case 'REST':
        me.live = false;
        this.requests.delete(id);
        return null;
    }
  }

  private goLive(me: DeskChannel, outgoing: DeskChannel | undefined): void {
    me.live = true;
    if (!outgoing) return;
    me.renderingInto = outgoing.renderingInto;
    // Relay from themself is no input: then they work from the floor their partner relayed to.
    me.input =
      outgoing.input.kind === 'RELAY' && outgoing.input.fromId === me.id ? { kind: 'FLOOR' } : outgoing.input;
  }

  private dropRequestsOf(ids: readonly string[]): void {
    for (const [from, request] of [...this.requests.entries()])
      if (ids.includes(from) || ids.includes(request.toId)) this.requests.delete(from);
  }

  /**
   * An interpreter left the call for good. When they were the live one of a pair and no partner
   * present is live, a partner goes on (returned, for the log). Relays from them fall back to the floor.
   */
  left(id: string, present: ReadonlySet<string>): Handover | null {
    const gone = this.channels.get(id);
    this.dropRequestsOf([id]);
    for (const c of this.channels.values())
      if (c.input.kind === 'RELAY' && c.input.fromId === id) c.input = { kind: 'FLOOR' };
    if (!gone) return null;
    const wasLive = gone.live;
    this.channels.delete(id);
    if (!wasLive) return null;
    const partners = this.partnersOf(id, present)
      .filter((p) => p !== id)
      .map((p) => this.channels.get(p))
      .filter((c): c is DeskChannel => c !== undefined);
    if (partners.length === 0 || partners.some((c) => c.live)) return null;
    const next = partners[0]!;
    this.goLive(next, gone);
    return { fromParticipantId: id, toParticipantId: next.id, how: 'PARTNER_LEFT' };
  }

  /** Booth partners present who are live together. */
  bothLive(present: ReadonlySet<string>): string[][] {
    const groups: string[][] = [];
    const seen = new Set<string>();
    for (const id of present) {
      const c = this.channels.get(id);
      if (!c?.live || seen.has(id)) continue;
      const group = [id, ...this.partnersOf(id, present).filter((p) => this.channels.get(p)?.live)];
      for (const g of group) seen.add(g);
      if (group.length > 1) groups.push(group.sort());
    }
    return groups;
  }

  /** The plan's interpreter state: every seated interpreter's channel, and the original levels. */
  interpreterState(renderingInto: LanguageCode | null): InterpreterState {
    const channels: InterpreterChannel[] = [...this.channels.values()].map((c) => ({
      id: c.id,
      pair: [...c.pair],
      input: c.input,
      renderingInto: c.renderingInto,
      live: c.live,
    }));
    const originalLevels: Record<string, number> = {};
    for (const [id, percent] of this.originalLevels) originalLevels[id] = percent / 100;
    return { renderingInto, channels, originalLevels };
  }

  /** What `viewerId` is shown: every interpreter present, pending requests, their channel and level. */
  view(viewerId: string | null, channel: LanguageCode, present: ReadonlySet<string>): InterpretationView {
    const interpreters = [...present].flatMap((id) => {
      const c = this.channels.get(id);
      if (!c) return [];
      return [
        {
          participantId: id,
          pair: [...c.pair] as [LanguageCode, LanguageCode],
          input: c.input,
          renderingInto: c.renderingInto,
          live: c.live,
          partnerIds: this.partnersOf(id, present),
        },
      ];
    });
    return {
      interpreters,
      handovers: [...this.requests.entries()].map(([fromId, r]) => ({
        fromId,
        toId: r.toId,
        requestedAt: r.requestedAt.toISOString(),
      })),
      bothLive: this.bothLive(present),
      channel,
      originalLevel:
        (viewerId !== null ? this.originalLevels.get(viewerId) : undefined) ?? DEFAULT_ORIGINAL_LEVEL,
    };
  }

  snapshot(): DeskSnapshot {
    return {
      channels: [...this.channels.values()].map((c) => ({
        ...c,
        pair: [...c.pair] as [LanguageCode, LanguageCode],
      })),
      originalLevels: [...this.originalLevels],
    };
  }

  /** Goes on from a snapshot taken on a node that is gone (before anyone is seated here). */
  restore(snapshot: DeskSnapshot): void {
    for (const c of snapshot.channels) this.channels.set(c.id, { ...c });
    for (const [id, level] of snapshot.originalLevels) this.originalLevels.set(id, level);
  }
}
