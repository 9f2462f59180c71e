import type { PublishSlot, SdpNegotiation } from '@parley/shared';
import type {
  LocalTracks,
  MediaConnectionState,
  MediaSession,
  MediaSessionListener,
  MediaSessionOptions,
  MediaSignalling,
} from './MediaSession.ts';

/**
 * The `sdp` kind (the werift engine): the server offers one SDP with every track fixed at join.
 * Its receive-only m-lines are our publish slots, named with their mids in the negotiation; every
 * other m-line is a track we receive, and the routing plan says by mid whom it carries. Routing
 * changes never renegotiate: the server pauses and resumes forwarding.
 */
export class SdpSession implements MediaSession {
  readonly kind = 'sdp' as const;
  private readonly pc: RTCPeerConnection;
  private readonly signalling: MediaSignalling;
  private readonly listener: MediaSessionListener;
  private readonly senders = new Map<PublishSlot, RTCRtpSender>();
  private closed = false;

  constructor(
    private readonly negotiation: SdpNegotiation,
    options: MediaSessionOptions,
  ) {
    this.signalling = options.signalling;
    this.listener = options.listener;
    const pc = new RTCPeerConnection({ iceServers: options.iceServers, bundlePolicy: 'max-bundle' });
    this.pc = pc;
    pc.onicecandidate = (event) => {
      if (!this.closed) this.signalling.candidate(event.candidate ? event.candidate.toJSON() : null);
    };
    pc.ontrack = (event) => {
      const mid = event.transceiver.mid;
      if (mid && !this.closed) this.listener.track(mid, event.track);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && !this.closed) this.listener.failed();
    };
  }

  /** The peer connection, for diagnostics (the join benchmark reads its states). */
  get peerConnection(): RTCPeerConnection {
    return this.pc;
  }

  async start(local: LocalTracks): Promise<void> {
    await this.pc.setRemoteDescription(this.negotiation.offer);
    const slotOf = new Map(this.negotiation.publish.map((p) => [p.mid, p.slot]));
    for (const transceiver of this.pc.getTransceivers()) {
      const slot = transceiver.mid === null ? undefined : slotOf.get(transceiver.mid);
      if (!slot) continue;
      // The microphone's slot stays receive-only without a microphone; the camera's sends once
      // the camera is turned on (replaceTrack), so it is ready from the start.
      if (slot === 'microphone' && !local.microphone) continue;
      transceiver.direction = 'sendonly';
      this.senders.set(slot, transceiver.sender);
      await transceiver.sender.replaceTrack(local[slot]);
    }
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    if (this.closed) return;
    await this.signalling.answer(answer.sdp ?? '');
  }

  async replaceTrack(slot: PublishSlot, track: MediaStreamTrack | null): Promise<void> {
    await this.senders.get(slot)?.replaceTrack(track);
  }

  connectionState(): MediaConnectionState {
    return this.closed ? 'closed' : this.pc.connectionState;
  }

  receiveStats(): Promise<RTCStatsReport | null> {
    return this.closed ? Promise.resolve(null) : this.pc.getStats();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.close();
  }
}
