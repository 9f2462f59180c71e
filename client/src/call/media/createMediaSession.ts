import type { MediaNegotiation } from '@parley/shared';
import { MediasoupSession } from './MediasoupSession.ts';
import type { MediaSession, MediaSessionOptions } from './MediaSession.ts';
import { SdpSession } from './SdpSession.ts';

/** The session for the negotiation kind the server's engine speaks. */
export function createMediaSession(
  negotiation: MediaNegotiation,
  options: MediaSessionOptions,
): MediaSession {
  switch (negotiation.kind) {
    case 'sdp':
      return new SdpSession(negotiation, options);
    case 'mediasoup':
      return new MediasoupSession(negotiation, options);
    case 'plainRtp':
      // Plain RTP is the phone gateway's leg; a browser always gets one of the others.
      throw Object.assign(new Error('A browser cannot set up a plain RTP leg'), { code: 'MEDIA_FAILED' });
  }
}
