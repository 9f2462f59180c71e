import { randomBytes, randomInt } from 'node:crypto';
import type { SipAddress, SipMessage } from 'sip';
import type { LiveCall } from '../calls/LiveCall.ts';
import type { Logger } from '../logger.ts';
import type { MediaParticipant } from '../media/MediaParticipant.ts';
import { keyOfInfo } from './dtmf.ts';
import { FRAME_SAMPLES, frameSamplesAt, upsample8kTo48k } from './ListenerMix.ts';
import type { InCallKeys, PhoneVoice } from './PhoneKeypad.ts';
import type { PromptLanguage, PromptName, PromptSet } from './prompts.ts';
import type { RoomLeg } from './RoomLeg.ts';
import type { CallerAudio, RtpLeg } from './RtpLeg.ts';
import type { IncomingRequest, SipFlow } from './SipEndpoint.ts';

export type PhoneCallState = 'menu' | 'checking' | 'joining' | 'joined' | 'leaving' | 'ended';

/** What the PIN opened, as the gateway decided it. */
export type PinOutcome =
  | { kind: 'seat'; join: () => Promise<JoinedLeg> }
  | { kind: 'wrong' }
  | { kind: 'blocked' }
  | { kind: 'closed' }
  /** The call is open but cannot take a phone leg here (in a cluster: held on another node). */
  | { kind: 'unavailable' };

/** A phone leg seated in a live call. */
export interface JoinedLeg {
  call: LiveCall;
  participantId: string;
  media: MediaParticipant;
  room: RoomLeg;
  /** The seat's in-call keypad (PhoneKeypad.ts): it gets every key once the leg is in the call. */
  keypad?: (voice: PhoneVoice) => InCallKeys;
}

export interface PhoneCallDeps {
  logger: Logger;
  prompts: PromptSet;
  /** Decides a complete PIN (counts failures). */
  checkPin: (pin: string) => Promise<PinOutcome>;
  /** Sends an in-dialog request of Parley's (BYE). */
  sendRequest: (flow: SipFlow, request: SipMessage) => void;
  /** The call is over here: forget it. */
  onEnded: (call: PhoneCall) => void;
  publicAddress: string;
  sipPort: number;
}

/**
 * The SIP dialog of a phone call (RFC 3261 §12), from Parley's side: its tag and the far end's,
 * both parties' addresses (From/To of Parley's in-dialog requests) and where they are sent.
 */
export interface PhoneDialog {
  localTag: string;
  remoteTag: string | undefined;
  local: SipAddress;
  remote: SipAddress;
  /** The far end's Contact: the Request-URI of Parley's BYE. */
  target: string;
  /** The proxies that asked to stay on the path (Record-Route), as the Route of Parley's requests. */
  routeSet: unknown[];
}

/** The dialog of an INVITE Parley answers: the caller is the far end. */
export function dialogOfInvite(invite: SipMessage, localTag = randomBytes(8).toString('hex')): PhoneDialog {
  const from = invite.headers.from!;
  const to = invite.headers.to!;
  return {
    localTag,
    remoteTag: from.params.tag ?? undefined,
    local: { ...to, params: { ...to.params } },
    remote: { ...from, params: { ...from.params } },
    target: invite.headers.contact?.[0]?.uri ?? from.uri,
    // RFC 3261 §12.1.1: the UAS takes the Record-Route of the request in order.
    routeSet: recordRoute(invite),
  };
}

/** A message's Record-Route entries (as the sip package parses them), or none. */
export function recordRoute(message: SipMessage): unknown[] {
  const value = message.headers['record-route'];
  return Array.isArray(value) ? [...(value as unknown[])] : [];
}

const PIN_DIGITS = 6;
/** Wrong PINs one call may make before Parley says goodbye (whatever the other limits say). */
export const PIN_TRIES_PER_CALL = 3;
/** A caller who has not joined after this long is told goodbye. */
const MENU_TIMEOUT_MS = 90_000;
/** RFC 3261 T1 and T2: how the 200 OK to an INVITE is repeated over UDP until the ACK. */
const T1_MS = 500;
const T2_MS = 4000;

/**
 * One phone call: its SIP dialog (the INVITE answered with 200 OK, ACK, BYE in either direction,
 * INFO keys), its voice menu (welcome, the PIN by DTMF, '*' for Spanish, bounded retries) and,
 * once the PIN opened a seat, its place in the live call. Every 20 ms (`onFrame`) it sends the
 * caller one frame: the prompt being played, or the per-listener mix of the room — at 8 kHz for a
 * G.711 phone, 48 kHz for an Opus one (the prompts, recorded at 8 kHz, upsampled).
 */
export class PhoneCall {
  state: PhoneCallState = 'menu';
  language: PromptLanguage = 'en';
  private digits = '';
  private wrongPins = 0;
  private readonly playing: { samples: Int16Array; position: number }[] = [];
  private frame = new Int16Array(FRAME_SAMPLES);
  /** A prompt's 8 kHz frame before upsampling (Opus legs), and its last sample. */
  private readonly promptFrame = new Int16Array(FRAME_SAMPLES);
  private promptLast = 0;
  private joined: JoinedLeg | null = null;
  private acked = false;
  private localSeq = randomInt(1, 10_000);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly logger: Logger;
  private stopListening: (() => void) | null = null;
  private keys: InCallKeys | null = null;
  /** The caller's ear for the in-call keypad: its prompts replace the room's mix while they play. */
  private readonly voice: PhoneVoice = {
    say: (prompts) => {
      this.playing.length = 0;
      this.play(...prompts);
    },
    stop: () => {
      this.playing.length = 0;
    },
    language: () => this.language,
    setLanguage: (language) => {
      this.language = language;
    },
  };

  /**
   * `answer` repeats Parley's 200 OK of a call it answered (over UDP, until the ACK); a call Parley
   * made (dial-out) has none, and starts `seated` straight away instead of the PIN menu.
   */
  constructor(
    readonly callId: string,
    readonly dialog: PhoneDialog,
    readonly flow: SipFlow,
    readonly rtp: RtpLeg,
    private readonly answer: ((status: number, reason: string) => void) | null,
    private readonly deps: PhoneCallDeps,
    seated?: () => Promise<JoinedLeg>,
  ) {
    this.logger = deps.logger;
    if (seated) {
      this.acked = true;
      this.state = 'checking';
      this.onPinOutcome({ kind: 'seat', join: seated });
      return;
    }
    this.play('welcome', 'enter-pin');
    this.after(MENU_TIMEOUT_MS, () => {
      if (this.state === 'menu' || this.state === 'checking') this.goodbye('failed');
    });
    if (flow.protocol === 'UDP' && answer) this.repeatOk(T1_MS);
  }

  get localTag(): string {
    return this.dialog.localTag;
  }

  /** The far end's tag: their half of the dialog's id. */
  get remoteTag(): string | undefined {
    return this.dialog.remoteTag;
  }

  /** Whether `request` belongs to this dialog: same Call-ID, both tags, and the same source. */
  inDialog(request: SipMessage, flow: SipFlow): boolean {
    return (
      request.headers['call-id'] === this.callId &&
      request.headers.from?.params.tag === this.remoteTag &&
      request.headers.to?.params.tag === this.localTag &&
      flow.address === this.flow.address
    );
  }

  onAck(): void {
    this.acked = true;
  }

  onBye(incoming: IncomingRequest): void {
    incoming.respond(200, 'OK', { toTag: this.localTag });
    this.logger.info({ state: this.state }, 'the caller hung up');
    this.end();
  }

  onInfo(incoming: IncomingRequest): void {
    const key = keyOfInfo(incoming.request.headers['content-type'], incoming.request.content);
    if (key === null) {
      incoming.respond(415, 'Unsupported Media Type', {
        toTag: this.localTag,
        headers: { accept: 'application/dtmf-relay, application/dtmf' },
      });
      return;
    }
    incoming.respond(200, 'OK', { toTag: this.localTag });
    this.onKey(key);
  }

  /** A key the caller pressed (RFC 4733 or INFO). */
  onKey(key: string): void {
    if (this.state === 'joined') {
      this.keys?.press(key);
      return;
    }
    if (this.state !== 'menu') return;
    // Barge-in: a key stops the prompt being played.
    this.playing.length = 0;
    if (key === '*') {
      this.language = this.language === 'en' ? 'es' : 'en';
      this.digits = '';
      this.play('welcome', 'enter-pin');
      return;
    }
    if (!/^\d$/.test(key)) return;
    this.digits += key;
    if (this.digits.length < PIN_DIGITS) return;
    const pin = this.digits;
    this.digits = '';
    this.state = 'checking';
    this.deps
      .checkPin(pin)
      .then((outcome) => this.onPinOutcome(outcome))
      .catch((err: unknown) => {
        this.logger.error({ err }, 'checking a phone PIN failed');
        this.goodbye('failed');
      });
  }

  /** What the caller said: into the room once seated, nowhere before. */
  onAudio(heard: CallerAudio): void {
    if (this.state === 'joined') this.joined?.room.speak(heard);
  }

  /** The 20 ms clock: one frame to the caller (`dueAt`: the frame's deadline, PhoneClock's). */
  onFrame(dueAt?: number): void {
    if (this.state === 'ended') return;
    const rate = this.rtp.sampleRate;
    // The codec is known once answered (a dial-out's answer, a re-INVITE may change it).
    if (this.frame.length !== frameSamplesAt(rate)) this.frame = new Int16Array(frameSamplesAt(rate));
    const frame = this.frame;
    const prompt = this.playing[0];
    if (prompt) {
      const narrow = rate === 8000 ? frame : this.promptFrame;
      narrow.fill(0);
      const n = Math.min(FRAME_SAMPLES, prompt.samples.length - prompt.position);
      narrow.set(prompt.samples.subarray(prompt.position, prompt.position + n));
      prompt.position += n;
      if (prompt.position >= prompt.samples.length) this.playing.shift();
      if (narrow !== frame) this.promptLast = upsample8kTo48k(narrow, frame, this.promptLast);
    } else if (this.state === 'joined' && this.joined) {
      this.joined.room.setListenerRate(rate);
      this.joined.room.mixInto(frame, dueAt);
    } else {
      frame.fill(0);
      if (this.state === 'leaving') return this.hangUp();
    }
    this.rtp.send(frame);
  }

  /** Parley ends the call: BYE (or nothing, if it is over already). */
  hangUp(): void {
    if (this.state === 'ended') return;
    const { local, remote, target, routeSet } = this.dialog;
    this.deps.sendRequest(this.flow, {
      method: 'BYE',
      uri: target,
      version: '2.0',
      headers: {
        to: { ...remote, params: { ...remote.params } },
        from: { ...local, params: { ...local.params, tag: this.localTag } },
        'call-id': this.callId,
        cseq: { seq: ++this.localSeq, method: 'BYE' },
        ...(routeSet.length > 0 ? { route: routeSet } : {}),
        'max-forwards': 70,
        'content-length': 0,
      },
      content: '',
    });
    this.end();
  }

  /** Releases everything: RTP, the room leg, timers; keeps the seat for the grace period. */
  end(): void {
    if (this.state === 'ended') return;
    const wasJoined = this.joined;
    this.state = 'ended';
    this.playing.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.stopListening?.();
    this.keys?.close();
    this.keys = null;
    this.rtp.close();
    if (wasJoined) {
      wasJoined.room.close();
      // Hang-up or a dropped line: the place is kept for the grace period, as for a browser.
      if (!wasJoined.call.isEnded && wasJoined.call.mediaOf(wasJoined.participantId) === wasJoined.media)
        wasJoined.call.disconnected(wasJoined.participantId);
      this.joined = null;
    }
    this.deps.onEnded(this);
  }

  private onPinOutcome(outcome: PinOutcome): void {
    if (this.state !== 'checking') return;
    switch (outcome.kind) {
      case 'wrong':
        if (++this.wrongPins >= PIN_TRIES_PER_CALL) return this.goodbye('too-many');
        this.state = 'menu';
        this.play('wrong-pin', 'enter-pin');
        return;
      case 'blocked':
        return this.goodbye('too-many');
      case 'closed':
        return this.goodbye('not-open');
      case 'unavailable':
        return this.goodbye('failed');
      case 'seat':
        this.state = 'joining';
        this.play('joining');
        outcome
          .join()
          .then((joined) => this.onJoined(joined))
          .catch((err: unknown) => {
            this.logger.warn({ err }, 'a phone leg could not join its call');
            this.goodbye('failed');
          });
    }
  }

  private onJoined(joined: JoinedLeg): void {
    if (this.state !== 'joining') {
      // The caller hung up while the seat was made: give it up again.
      joined.room.close();
      if (!joined.call.isEnded) joined.call.disconnected(joined.participantId);
      return;
    }
    this.joined = joined;
    this.state = 'joined';
    this.keys = joined.keypad?.(this.voice) ?? null;
    // Decoded at the phone's rate from the first packet the room sends it.
    joined.room.setListenerRate(this.rtp.sampleRate);
    // The call ended, or the seat was taken over (the same person again): this leg is done.
    this.stopListening = joined.media.events.on('closed', () => {
      if (this.state === 'joined') {
        this.joined?.room.close();
        this.joined = null;
        this.hangUp();
      }
    });
    this.logger.info({ participantId: joined.participantId }, 'a phone leg joined its call');
  }

  private goodbye(prompt: PromptName): void {
    if (this.state === 'ended') return;
    this.state = 'leaving';
    this.playing.length = 0;
    this.play(prompt);
  }

  private play(...names: PromptName[]): void {
    for (const name of names)
      this.playing.push({ samples: this.deps.prompts[this.language][name], position: 0 });
  }

  private after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
  }

  /** UDP: the 200 OK again at T1, 2·T1, … up to T2, until the ACK; no ACK in 32 s ends the call. */
  private repeatOk(interval: number, elapsed = 0): void {
    this.after(interval, () => {
      if (this.acked || this.state === 'ended') return;
      if (elapsed + interval >= 64 * T1_MS) {
        this.logger.warn('no ACK for the 200 OK: ending the call');
        return this.hangUp();
      }
      this.answer?.(200, 'OK');
      this.repeatOk(Math.min(interval * 2, T2_MS), elapsed + interval);
    });
  }
}
