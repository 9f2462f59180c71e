import {
  ErrorCode,
  type CallRole,
  type CallState,
  type HandoverMessage,
  type LanguageCode,
} from '@parley/shared';
import { assertRole, CALL_ACTION_ROLES, mayAct, seatedIn, type CallAction } from '../calls/callActions.ts';
import type { LiveCall, Seat } from '../calls/LiveCall.ts';
import { AppError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import type { PromptLanguage, PromptName } from './prompts.ts';

/**
 * The in-call keypad of a phone caller (README, "Join by phone"): `*` and one digit, the phone's
 * version of the call screen's buttons.
 *
 * | keys | what | who (CALL_ACTION_ROLES) |
 * | --- | --- | --- |
 * | `*1` | start or end the private sidebar with the interpreter | attorney |
 * | `*2` | switch CONSECUTIVE / SIMULTANEOUS | interpreter |
 * | `*3` | render into the other language of their pair (SIMULTANEOUS) | interpreter |
 * | `*4` | accept the booth partner's handover, or take over | interpreter |
 * | `*5` | acknowledge the open "please pause" asked of them | attorney, client |
 * | `*9` | prompts in Spanish / English | anyone |
 * | `*0` | hear the keys of their seat | anyone |
 */
export const KEYPAD_COMMANDS = {
  '1': { name: 'sidebar', action: 'setSidebar' },
  '2': { name: 'mode', action: 'setInterpretation' },
  '3': { name: 'direction', action: 'setInterpreterOutput' },
  '4': { name: 'takeOver', action: 'handover' },
  '5': { name: 'acknowledgePause', action: 'acknowledgePause' },
  '9': { name: 'language', action: null },
  '0': { name: 'keys', action: null },
} as const satisfies Record<string, { name: string; action: CallAction | null }>;

export type KeypadDigit = keyof typeof KEYPAD_COMMANDS;

/** A `*` waits this long for its digit; after that the digit is an ordinary key again. */
export const STAR_WINDOW_MS = 4000;
/**
 * Commands one phone leg may give in a minute. A person needs a few; more is a stuck key or a
 * machine. The call's own limits (pause acknowledgements, …) apply on top, as for a browser.
 */
export const KEYPAD_COMMANDS_PER_MINUTE = 20;
/** How often the keypad reads the caller's own view for alerts (a phone leg has no socket to push to). */
export const ALERT_POLL_MS = 250;

/** The digits whose action `role` may ask for, and the ones everyone has; from the same role table. */
export function keysFor(role: CallRole): KeypadDigit[] {
  return (Object.keys(KEYPAD_COMMANDS) as KeypadDigit[]).filter((digit) => {
    const action: CallAction | null = KEYPAD_COMMANDS[digit].action;
    return action === null || mayAct(action, role);
  });
}

/** The spoken list of a seat's keys. */
export function keysPrompt(role: CallRole): PromptName {
  if (role === 'ATTORNEY') return 'keys-attorney';
  if (role === 'INTERPRETER') return 'keys-interpreter';
  return 'keys-client';
}

/** Reads key presses into commands: `*` then a digit within STAR_WINDOW_MS; `#` cancels. */
export class KeySequence {
  private starAt: number | null = null;

  /** The command digit this key completes, or null (a `*` waiting, a stray digit, a cancel). */
  press(key: string, now: number): string | null {
    if (key === '*') {
      this.starAt = now;
      return null;
    }
    const armed = this.starAt !== null && now - this.starAt <= STAR_WINDOW_MS;
    this.starAt = null;
    return armed && /^\d$/.test(key) ? key : null;
  }
}

/** What a command comes to, decided from the caller's own view of the call. */
export type KeypadPlan =
  | { kind: 'say'; prompts: PromptName[] }
  | { kind: 'language' }
  | { kind: 'setSidebar'; active: boolean; then: PromptName[] }
  | {
      kind: 'setInterpretation';
      mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
      renderingInto: LanguageCode | null;
      then: PromptName[];
    }
  | { kind: 'setInterpreterOutput'; renderingInto: LanguageCode; then: PromptName[] }
  | {
      kind: 'handover';
      action: Extract<HandoverMessage['action'], 'ACCEPT' | 'TAKE_OVER'>;
      then: PromptName[];
    }
  | { kind: 'acknowledgePause'; requestId: string; then: PromptName[] };

function intoPrompt(language: LanguageCode): PromptName {
  if (language === 'en') return 'into-english';
  if (language === 'es') return 'into-spanish';
  return 'into-client';
}

/**
 * The plan of command `digit` for `seat`, from `view` (the call as this seat sees it: what a
 * browser's screen would show). It reads the state only; what is allowed is decided by the role
 * table and by the LiveCall when the plan is carried out.
 */
export function planCommand(
  digit: string,
  view: CallState,
  seat: Pick<Seat, 'participantId' | 'role'>,
): KeypadPlan {
  const me = seat.participantId;
  const mine = view.interpretation?.interpreters.find((i) => i.participantId === me);
  const pair: LanguageCode[] = mine?.pair ?? [view.languages.attorney, view.languages.client];
  const current = mine ? mine.renderingInto : view.renderingInto;
  // As the interpreter console does: the client's side first when nothing was chosen yet.
  const firstInto = current ?? pair.find((l) => l !== 'en') ?? pair[1]!;
  switch (digit) {
    case '1': {
      const active = !view.sidebar.active;
      return { kind: 'setSidebar', active, then: [active ? 'sidebar-on' : 'sidebar-off'] };
    }
    case '2':
      return view.mode === 'CONSECUTIVE'
        ? {
            kind: 'setInterpretation',
            mode: 'SIMULTANEOUS',
            renderingInto: firstInto,
            then: ['simultaneous', intoPrompt(firstInto)],
          }
        : { kind: 'setInterpretation', mode: 'CONSECUTIVE', renderingInto: null, then: ['consecutive'] };
    case '3': {
      if (view.mode !== 'SIMULTANEOUS') return { kind: 'say', prompts: ['simultaneous-first'] };
      const next = current === null ? firstInto : (pair.find((l) => l !== current) ?? firstInto);
      return { kind: 'setInterpreterOutput', renderingInto: next, then: [intoPrompt(next)] };
    }
    case '4': {
      const askedOfMe = view.interpretation?.handovers.some((h) => h.toId === me) ?? false;
      return { kind: 'handover', action: askedOfMe ? 'ACCEPT' : 'TAKE_OVER', then: ['you-are-live'] };
    }
    case '5': {
      const open = (view.interpretation?.pauseRequests ?? [])
        .filter((r) => r.toParticipantId === me && r.acknowledgedAt === null)
        .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
      return open
        ? { kind: 'acknowledgePause', requestId: open.requestId, then: ['pause-acknowledged'] }
        : { kind: 'say', prompts: ['no-pause'] };
    }
    case '9':
      return { kind: 'language' };
    default:
      // '*0', and any digit without a command: the seat's own keys.
      return { kind: 'say', prompts: [keysPrompt(seat.role)] };
  }
}

/**
 * Alerts the caller has not been given yet, from their own view: a "please pause" asked of them,
 * a booth partner's handover request to them. `given` remembers what was said (and is updated).
 */
export function alertsFor(view: CallState, participantId: string, given: Set<string>): PromptName[] {
  const alerts: PromptName[] = [];
  for (const r of view.interpretation?.pauseRequests ?? []) {
    const key = `pause ${r.requestId}`;
    if (r.toParticipantId !== participantId || r.acknowledgedAt !== null || given.has(key)) continue;
    given.add(key);
    if (!alerts.includes('pause-asked')) alerts.push('pause-asked');
  }
  for (const h of view.interpretation?.handovers ?? []) {
    const key = `handover ${h.fromId} ${h.requestedAt}`;
    if (h.toId !== participantId || given.has(key)) continue;
    given.add(key);
    if (!alerts.includes('handover-asked')) alerts.push('handover-asked');
  }
  return alerts;
}

/** The refusal a caller hears for an error of the call's: by its stable code. */
export function refusalPrompt(error: unknown): PromptName {
  if (error instanceof AppError) {
    if (error.code === ErrorCode.FORBIDDEN_ROLE) return 'not-allowed';
    if (error.code === ErrorCode.RATE_LIMITED) return 'too-fast';
  }
  return 'not-now';
}

/** What the keypad may do with the caller's ear (PhoneCall): speak prompts, in their language. */
export interface PhoneVoice {
  /** Plays these prompts now, instead of anything still playing (the room is heard again after). */
  say(prompts: PromptName[]): void;
  /** Stops a prompt being played (a key was pressed: barge-in). */
  stop(): void;
  language(): PromptLanguage;
  setLanguage(language: PromptLanguage): void;
}

/** A seated phone leg's keys: PhoneCall hands them every key once the leg is in the call. */
export interface InCallKeys {
  press(key: string): void;
  close(): void;
}

/**
 * One seated phone leg's keypad. Each command goes through the same checks as the browser's
 * socket message: the seat must be in the open call (seatedIn), its role allowed for the action
 * (CALL_ACTION_ROLES), and then the LiveCall's own method decides and applies it (sidebar rules,
 * the interpreters' desk, pause requests and their rate limits). The caller hears a short
 * confirmation, or the refusal by its code, and a refused command changes nothing.
 */
export class PhoneKeypad implements InCallKeys {
  private readonly keys = new KeySequence();
  private readonly given = new Set<string>();
  private readonly recent: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly poll: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly leg: { call: LiveCall; participantId: string },
    private readonly voice: PhoneVoice,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    // Requests already open when the caller arrives are told too.
    this.poll = setInterval(() => this.alert(), ALERT_POLL_MS);
    this.poll.unref();
  }

  press(key: string): void {
    if (this.closed) return;
    if (key === '*') this.voice.stop();
    const digit = this.keys.press(key, this.now());
    if (digit === null) return;
    const now = this.now();
    while (this.recent.length > 0 && now - this.recent[0]! >= 60_000) this.recent.shift();
    if (this.recent.length >= KEYPAD_COMMANDS_PER_MINUTE) {
      this.voice.say(['too-fast']);
      return;
    }
    this.recent.push(now);
    // One command at a time, in the order pressed: each one reads the state the last one left.
    this.queue = this.queue.then(() => this.run(digit));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poll);
  }

  /** Carries out one command; never throws (a refusal is spoken). */
  private async run(digit: string): Promise<void> {
    const command = KEYPAD_COMMANDS[digit as KeypadDigit] as
      { name: string; action: CallAction | null } | undefined;
    let outcome = 'OK';
    try {
      const { call, seat } = seatedIn(this.leg.call, this.seat());
      if (command?.action) assertRole(seat.role, CALL_ACTION_ROLES[command.action]);
      const plan = planCommand(digit, call.state(seat.participantId), seat);
      const then = await this.carryOut(call, seat, plan);
      if (!this.closed) this.voice.say(then);
    } catch (error) {
      outcome =
        error instanceof AppError ? error.code : error instanceof RangeError ? 'VALIDATION_FAILED' : 'ERROR';
      if (outcome === 'ERROR')
        this.logger.error({ err: error, command: command?.name }, 'a keypad command failed');
      if (!this.closed) this.voice.say([refusalPrompt(error)]);
    }
    this.logger.info({ command: command?.name ?? 'keys', outcome }, 'phone keypad command');
  }

  private async carryOut(call: LiveCall, seat: Seat, plan: KeypadPlan): Promise<PromptName[]> {
    switch (plan.kind) {
      case 'say':
        return plan.prompts;
      case 'language': {
        const next: PromptLanguage = this.voice.language() === 'en' ? 'es' : 'en';
        this.voice.setLanguage(next);
        return [keysPrompt(seat.role)];
      }
      case 'setSidebar':
        await call.setSidebar(seat, plan.active);
        return plan.then;
      case 'setInterpretation':
        await call.setInterpretation(seat, plan.mode, plan.renderingInto);
        return plan.then;
      case 'setInterpreterOutput':
        await call.setInterpreterOutput(seat, plan.renderingInto);
        return plan.then;
      case 'handover':
        await call.handover(seat, plan.action);
        return plan.then;
      case 'acknowledgePause':
        call.acknowledgePause(seat, plan.requestId);
        return plan.then;
    }
  }

  /** The leg's seat as the call holds it (the call knows the device; the keypad only the id). */
  private seat(): Seat | null {
    const { call, participantId } = this.leg;
    if (call.isEnded) return null;
    const p = call.state(participantId).participants.find((m) => m.participantId === participantId);
    if (!p || p.status === 'left') return null;
    return { participantId, role: p.role, displayName: p.displayName, device: p.device };
  }

  private alert(): void {
    const { call, participantId } = this.leg;
    if (this.closed || call.isEnded) return;
    const alerts = alertsFor(call.state(participantId), participantId, this.given);
    if (alerts.length > 0) this.voice.say(alerts);
  }
}
