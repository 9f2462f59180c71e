import type {
  ConnectTransportMessage,
  ConsumerParameters,
  MediaKind,
  MediaNegotiation,
  PlainRtpNegotiation,
  ProduceMessage,
  ProduceResult,
  PublishSlot,
  ReceiveCapabilitiesMessage,
} from '@parley/shared';
import type { EventSource } from './TypedEmitter.ts';

/**
 * The port between the engine-neutral room (MediaRoom: routing plan, active speaker, quality,
 * who may receive media) and an engine that moves packets: werift in this process, a mediasoup
 * worker, later a room on another node. Every command and event is plain data addressed by ids
 * (JSON-serialisable, no object references cross it) and every command is asynchronous, so a
 * backend may live behind a channel. A backend holds no policy: it does what the commands say.
 */
export interface MediaBackend {
  readonly name: MediaBackendName;
  readonly events: EventSource<MediaBackendEvents>;
  createRoom(command: { roomId: string }): Promise<void>;
  /** Makes the participant's transport; resolves with the server's half of its negotiation. */
  addParticipant(command: AddParticipantCommand): Promise<{ negotiation: MediaNegotiation }>;
  /** One client step of the negotiation (answer, candidate; connect, produce, capabilities). */
  negotiate(command: NegotiateCommand): Promise<ProduceResult | null>;
  /**
   * The listener starts receiving the speaker's `kind` — paused: nothing flows until a routing
   * command says it may. `slot` is the listener's receive track the room chose (a pool the
   * server-offered SDP fixes at join; engines that add tracks freely may ignore it).
   */
  subscribe(command: SubscribeCommand): Promise<SubscriptionTrack>;
  unsubscribe(command: { roomId: string; subscriptionId: string }): Promise<void>;
  /**
   * Pauses and resumes subscriptions. Resolves once every packet the backend handles from then
   * on obeys the command (server-side pause: nothing is sent), echoing the plan's version.
   */
  applyRouting(command: RoutingCommand): Promise<RoutingAck>;
  /** Cumulative receive counters and the latest receiver reports, per connected participant. */
  collectStats(command: { roomId: string }): Promise<ParticipantLinkStats[]>;
  removeParticipant(command: { roomId: string; participantId: string }): Promise<void>;
  closeRoom(command: { roomId: string }): Promise<void>;
  /** Closes every room and releases the engine (sockets, worker processes). Idempotent. */
  close(): Promise<void>;
}

export type MediaBackendName = 'werift' | 'mediasoup';

export type BackendConnectionState =
  'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface AddParticipantCommand {
  roomId: string;
  participantId: string;
  /** What the participant publishes, by named slot. */
  publish: PublishSlot[];
  /** Receive tracks per kind (one per other participant the room can hold). */
  receiveSlots: number;
  /** A browser (WebRTC: ICE, DTLS-SRTP), or a plain RTP leg (phone gateways; test peers). Default webrtc. */
  transport?: 'webrtc' | 'plainRtp';
  /**
   * A plain RTP leg protected by SRTP, keyed in the negotiation (SDES, RFC 4568): the engine's key
   * in `negotiation.srtp`, the other end's in its `connectPlainRtp` step. Default: plain RTP.
   */
  srtp?: boolean;
}

export type NegotiationStep =
  | { step: 'answer'; answer: { type: 'answer'; sdp: string } }
  | {
      step: 'candidate';
      candidate: {
        candidate: string;
        sdpMid?: string | null;
        sdpMLineIndex?: number | null;
        usernameFragment?: string | null;
      } | null;
    }
  | ({ step: 'connectTransport' } & ConnectTransportMessage)
  | ({ step: 'produce' } & ProduceMessage)
  | ({ step: 'receiveCapabilities' } & ReceiveCapabilitiesMessage)
  /** A plain RTP leg: where the other end receives (RTP and RTCP muxed). */
  | {
      step: 'connectPlainRtp';
      address: string;
      port: number;
      /** What the other end sends with, on a leg made with `srtp`. */
      srtp?: NonNullable<PlainRtpNegotiation['srtp']>;
    };

export interface NegotiateCommand {
  roomId: string;
  participantId: string;
  /** Discriminated by `step`. */
  step: NegotiationStep;
}

export interface SubscribeCommand {
  roomId: string;
  subscriptionId: string;
  listenerId: string;
  speakerId: string;
  kind: MediaKind;
  slot: number;
}

/** Where a subscription arrives on the listener's connection; `mid` null until it is known. */
export interface SubscriptionTrack {
  subscriptionId: string;
  mid: string | null;
  /** Client-driven negotiation: what the listener's client consumes. */
  consumer?: ConsumerParameters;
}

export interface RoutingCommand {
  roomId: string;
  version: number;
  changes: { subscriptionId: string; sent: boolean }[];
}

export interface RoutingAck {
  roomId: string;
  version: number;
}

/** Receive counters the room turns into a quality sample (linkQuality.ts). */
export interface ParticipantLinkStats {
  participantId: string;
  /**
   * What the server received from them, cumulative. An engine that counts loss only at its
   * receiver reports also gives `reportedLossFraction`, its latest report's (linkQuality.ts).
   */
  upstream: { packetsReceived: number; packetsLost: number; jitterMs: number; reportedLossFraction?: number };
  /** What they reported receiving from the server (RTCP receiver reports), per audio subscription. */
  downstream: {
    subscriptionId: string;
    /** Cumulative packets the listener counted lost on this track, as its reports say. */
    packetsLost: number;
    /** The highest sequence number the listener's reports say it received, extended. */
    highestSequence: number;
    jitterMs: number;
    /** The fraction lost of the listener's latest report, when the engine has no per-report sequence. */
    reportedLossFraction?: number;
  }[];
  rttMs: number | null;
}

export interface MediaBackendEvents {
  connectionState: { roomId: string; participantId: string; state: BackendConnectionState };
  /** Mean RFC 6464 levels (-dBov: 0 loudest, 127 silence) heard since the previous report. */
  audioLevels: { roomId: string; levels: { participantId: string; level: number }[] };
  /** A subscription's track became known after `subscribe` resolved (client-driven engines). */
  subscriptionTrack: { roomId: string } & SubscriptionTrack;
  /**
   * The backend lost the participant's media through no command (a worker died): the room
   * should have them restart media.
   */
  participantLost: { roomId: string; participantId: string; reason: 'ENGINE_FAILED' };
}
