import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device, FakeHandler, testFakeParameters } from 'mediasoup-client';
import { describe, expect, it, vi } from 'vitest';
import type {
  ConnectTransportMessage,
  ConsumerParameters,
  MediasoupNegotiation,
  ProduceMessage,
  TransportParameters,
} from '@parley/shared';
import type { MediaSignalling } from './MediaSession.ts';
import { MediasoupSession } from './MediasoupSession.ts';

/**
 * The mediasoup session over mediasoup-client's own FakeHandler (its test handler: real Device,
 * Transport, Producer and Consumer logic, no browser), with the server's side of the socket played
 * by the test: what the session sends, and the consumer lists the server would send.
 */

function transportParameters(): TransportParameters {
  const { id, iceParameters, iceCandidates, dtlsParameters } =
    testFakeParameters.generateTransportRemoteParameters();
  return {
    id,
    iceParameters,
    iceCandidates: iceCandidates,
    dtlsParameters: dtlsParameters,
  };
}

function negotiation(): MediasoupNegotiation {
  return {
    kind: 'mediasoup',
    routerRtpCapabilities:
      testFakeParameters.generateRouterRtpCapabilities() as MediasoupNegotiation['routerRtpCapabilities'],
    sendTransport: transportParameters(),
    recvTransport: transportParameters(),
  };
}

function consumerFor(id: string, speakerId: string, mid: string): ConsumerParameters {
  const made = testFakeParameters.generateConsumerRemoteParameters({ id, codecMimeType: 'audio/opus' });
  return {
    id,
    producerId: made.producerId,
    speakerId,
    kind: 'audio',
    rtpParameters: { ...(made.rtpParameters as ConsumerParameters['rtpParameters']), mid },
  };
}

function setUp() {
  const sent = {
    connected: [] as ConnectTransportMessage[],
    produced: [] as ProduceMessage[],
    receiveCapabilities: 0,
  };
  let deliver: ((list: ConsumerParameters[]) => void) | undefined;
  const signalling: MediaSignalling = {
    answer: () => Promise.reject(new Error('not an SDP session')),
    candidate: () => {
      throw new Error('not an SDP session');
    },
    connectTransport: (message) => {
      sent.connected.push(message);
      return Promise.resolve();
    },
    produce: (message) => {
      sent.produced.push(message);
      return Promise.resolve({ producerId: `producer-${message.slot}` });
    },
    receiveCapabilities: () => {
      sent.receiveCapabilities++;
      return Promise.resolve();
    },
    onConsumers: (listener) => {
      deliver = listener;
      return () => (deliver = undefined);
    },
  };
  const tracks: { mid: string; track: MediaStreamTrack }[] = [];
  let failures = 0;
  const media = negotiation();
  const session = new MediasoupSession(media, {
    signalling,
    iceServers: [],
    listener: { track: (mid, track) => tracks.push({ mid, track }), failed: () => failures++ },
    createDevice: () =>
      Promise.resolve(new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) })),
  });
  /** What the server sends; resolves when the session has passed on `tracksBy` tracks in all. */
  const serverSends = async (list: ConsumerParameters[], tracksBy: number) => {
    expect(deliver, 'the session listens for consumers').toBeDefined();
    deliver!(list);
    await vi.waitFor(() => expect(tracks).toHaveLength(tracksBy));
  };
  return { session, media, sent, tracks, serverSends, failures: () => failures, listening: () => !!deliver };
}

const audioTrack = () => new FakeMediaStreamTrack({ kind: 'audio' }) as unknown as MediaStreamTrack;
const videoTrack = () => new FakeMediaStreamTrack({ kind: 'video' }) as unknown as MediaStreamTrack;

describe('MediasoupSession', () => {
  it('connects the send transport and produces the microphone into its named slot', async () => {
    const { session, media, sent } = setUp();
    await session.start({ microphone: audioTrack(), camera: null });
    expect(sent.receiveCapabilities).toBe(1);
    expect(sent.connected.map((c) => c.transportId)).toEqual([media.sendTransport.id]);
    expect(sent.produced).toHaveLength(1);
    expect(sent.produced[0]).toMatchObject({
      transportId: media.sendTransport.id,
      slot: 'microphone',
      kind: 'audio',
    });
    expect(sent.produced[0]!.rtpParameters.codecs.length).toBeGreaterThan(0);
    session.close();
  });

  it('produces the camera when it is first turned on, then replaces its track without producing again', async () => {
    const { session, sent } = setUp();
    await session.start({ microphone: audioTrack(), camera: null });
    await session.replaceTrack('camera', null);
    expect(sent.produced.map((p) => p.slot)).toEqual(['microphone']);
    await session.replaceTrack('camera', videoTrack());
    await session.replaceTrack('camera', null);
    await session.replaceTrack('camera', videoTrack());
    expect(sent.produced.map((p) => [p.slot, p.kind])).toEqual([
      ['microphone', 'audio'],
      ['camera', 'video'],
    ]);
    session.close();
  });

  it('refuses a track of the wrong kind for a slot not yet produced', async () => {
    const { session } = setUp();
    await session.start({ microphone: null, camera: null });
    await expect(session.replaceTrack('microphone', videoTrack())).rejects.toThrow(
      'The microphone takes audio',
    );
    session.close();
  });

  it('consumes each listed consumer once, names its track by the plan’s mid, and closes what the server no longer lists', async () => {
    const { session, media, sent, tracks, serverSends } = setUp();
    await session.start({ microphone: audioTrack(), camera: null });
    await serverSends([consumerFor('c1', 'attorney', '0')], 1);
    await serverSends([consumerFor('c1', 'attorney', '0'), consumerFor('c2', 'client', '1')], 2);
    expect(tracks.map((t) => t.mid)).toEqual(['0', '1']);
    // The receive transport connected once, on the first consume.
    expect(sent.connected.map((c) => c.transportId)).toEqual([
      media.sendTransport.id,
      media.recvTransport.id,
    ]);
    const first = tracks[0]!.track;
    expect(first.readyState).toBe('live');
    await serverSends([consumerFor('c2', 'client', '1'), consumerFor('c3', 'attorney', '2')], 3);
    expect(tracks.map((t) => t.mid)).toEqual(['0', '1', '2']);
    expect(first.readyState).toBe('ended');
    session.close();
  });

  it('after close: no longer listens, sends nothing, reports closed', async () => {
    const { session, sent, tracks, listening } = setUp();
    await session.start({ microphone: audioTrack(), camera: null });
    session.close();
    session.close();
    expect(listening()).toBe(false);
    expect(session.connectionState()).toBe('closed');
    await expect(session.receiveStats()).resolves.toBeNull();
    await session.replaceTrack('camera', videoTrack());
    expect(sent.produced.map((p) => p.slot)).toEqual(['microphone']);
    expect(tracks).toHaveLength(0);
  });

  it('a session closed while it starts produces nothing', async () => {
    const { session, sent } = setUp();
    const starting = session.start({ microphone: audioTrack(), camera: null });
    session.close();
    await starting;
    expect(sent.produced).toHaveLength(0);
    expect(sent.receiveCapabilities).toBe(0);
  });
});
