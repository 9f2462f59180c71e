import type { types } from 'mediasoup';

export const OPUS_CLOCK_RATE = 48_000;

/**
 * What a Parley router forwards: Opus (in-band FEC on, as browsers send it) and VP8, the same
 * codecs the werift backend negotiates. mediasoup assigns payload types and header extensions
 * (RFC 6464 audio level, mid, abs-send-time, transport-cc) from its own supported list.
 */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: OPUS_CLOCK_RATE,
    channels: 2,
    parameters: { useinbandfec: 1, minptime: 10 },
  },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90_000 },
];
