import type {
  ConnectTransportMessage,
  ConsumerParameters,
  MediaNegotiationKind,
  ProduceMessage,
  ProduceResult,
  PublishSlot,
  ReceiveCapabilitiesMessage,
} from '@parley/shared';

/**
 * The client steps of a media negotiation, carried over the call's signalling socket. Each kind
 * uses its own: `sdp` answers and trickles candidates; `mediasoup` connects transports, produces
 * into named slots, says what it can receive and consumes what the server sends.
 */
export interface MediaSignalling {
  answer(sdp: string): Promise<void>;
  candidate(candidate: RTCIceCandidateInit | null): void;
  connectTransport(message: ConnectTransportMessage): Promise<void>;
  produce(message: ProduceMessage): Promise<ProduceResult>;
  receiveCapabilities(message: ReceiveCapabilitiesMessage): Promise<void>;
  /** The server's `consumers` messages (each the listener's whole current list); returns the unsubscribe. */
  onConsumers(listener: (consumers: ConsumerParameters[]) => void): () => void;
}

/** What a session tells the call about its connection. */
export interface MediaSessionListener {
  /** A received track, named by the mid the routing plan gives it (the plan says whom it carries). */
  track(mid: string, track: MediaStreamTrack): void;
  /** The media connection failed while signalling may hold: the call asks the server for a new one. */
  failed(): void;
}

/** What this participant publishes, by named slot; null leaves the slot empty (camera off). */
export type LocalTracks = Record<PublishSlot, MediaStreamTrack | null>;

export type MediaConnectionState = RTCPeerConnectionState;

/**
 * One media connection to the SFU, whichever way the engine negotiates it. A session lives for one
 * negotiation: a restart or a rejoin closes it and starts a new one from the server's new
 * negotiation. Muting is the local track's `enabled` (it sends silence, and the server is told).
 */
export interface MediaSession {
  readonly kind: MediaNegotiationKind;
  /** Sets the connection up and publishes `local` into its named slots. */
  start(local: LocalTracks): Promise<void>;
  /**
   * Sends another track (or none) in `slot`: a new device, the camera turned on or off. No
   * renegotiation where the slot is already published.
   */
  replaceTrack(slot: PublishSlot, track: MediaStreamTrack | null): Promise<void>;
  /** The connection's state (for mediasoup, its sending transport's, which always connects). */
  connectionState(): MediaConnectionState;
  /** Statistics of what is received (`inbound-rtp` by mid), for quality and for tests. */
  receiveStats(): Promise<RTCStatsReport | null>;
  /** Idempotent; the local tracks stay with their owner. */
  close(): void;
}

export interface MediaSessionOptions {
  signalling: MediaSignalling;
  listener: MediaSessionListener;
  iceServers: RTCIceServer[];
}
