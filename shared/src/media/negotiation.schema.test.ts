import { describe, expect, it } from 'vitest';
import {
  ConsumerParametersSchema,
  MediaNegotiationSchema,
  ProduceMessageSchema,
} from './negotiation.schema.ts';

const transport = {
  id: 't-1',
  iceParameters: { usernameFragment: 'ufrag', password: 'secret-password', iceLite: true },
  iceCandidates: [
    {
      foundation: 'udpcandidate',
      priority: 1076302079,
      address: '127.0.0.1',
      protocol: 'udp',
      port: 40000,
      type: 'host',
    },
  ],
  dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
};

describe('media negotiation union', () => {
  it('tells the three kinds apart by `kind`', () => {
    const sdp = MediaNegotiationSchema.parse({
      kind: 'sdp',
      offer: { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n' },
      publish: [{ slot: 'microphone', kind: 'audio', mid: '0' }],
    });
    expect(sdp.kind).toBe('sdp');
    const mediasoup = MediaNegotiationSchema.parse({
      kind: 'mediasoup',
      routerRtpCapabilities: {
        codecs: [
          {
            kind: 'audio',
            mimeType: 'audio/opus',
            clockRate: 48000,
            channels: 2,
            parameters: { useinbandfec: 1 },
          },
        ],
        headerExtensions: [
          { kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', preferredId: 10 },
        ],
      },
      sendTransport: transport,
      recvTransport: { ...transport, id: 't-2' },
    });
    expect(mediasoup.kind).toBe('mediasoup');
    const plain = MediaNegotiationSchema.parse({
      kind: 'plainRtp',
      transportId: 't-3',
      address: '127.0.0.1',
      port: 40002,
      publish: [{ slot: 'microphone', kind: 'audio' }],
    });
    expect(plain.kind).toBe('plainRtp');
    expect(MediaNegotiationSchema.safeParse({ kind: 'janus' }).success).toBe(false);
  });

  it('a publish slot carries its own kind only: a camera is not produced as audio', () => {
    const rtpParameters = {
      codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
    };
    expect(
      ProduceMessageSchema.safeParse({ transportId: 't-1', slot: 'microphone', kind: 'audio', rtpParameters })
        .success,
    ).toBe(true);
    expect(
      ProduceMessageSchema.safeParse({ transportId: 't-1', slot: 'camera', kind: 'audio', rtpParameters })
        .success,
    ).toBe(false);
    // Unknown fields are refused, not carried through to the engine.
    expect(
      ProduceMessageSchema.safeParse({
        transportId: 't-1',
        slot: 'microphone',
        kind: 'audio',
        rtpParameters,
        extra: 1,
      }).success,
    ).toBe(false);
  });

  it('a consumer names the mid its track arrives on', () => {
    const consumer = {
      id: 'c-1',
      producerId: 'p-1',
      speakerId: 'attorney',
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 1234 }],
      },
    };
    expect(ConsumerParametersSchema.safeParse(consumer).success).toBe(false);
    expect(
      ConsumerParametersSchema.safeParse({
        ...consumer,
        rtpParameters: { ...consumer.rtpParameters, mid: '1' },
      }).success,
    ).toBe(true);
  });
});
