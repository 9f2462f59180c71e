import { z } from 'zod';
import { MediaKindSchema } from './routing.schema.ts';

/**
 * How a participant's media connection is negotiated, as a union over the engines behind the
 * server's media port (DESIGN.md, "Media engine"):
 * - `sdp`: the werift engine offers one SDP with every track fixed at join (server-offered);
 * - `mediasoup`: mediasoup-client drives its own send and receive transports (client-driven:
 *   connect, produce, consume), from the router's RTP capabilities and the transports' ICE and
 *   DTLS parameters;
 * - `plainRtp`: an RTP leg without ICE or DTLS, for the phone (SIP) legs.
 *
 * What a participant publishes goes into named slots, so neither side finds a track by looking
 * through SDP text.
 */

/** What a participant publishes, by name. */
export const PUBLISH_SLOTS = ['microphone', 'camera'] as const;
export const PublishSlotSchema = z.enum(PUBLISH_SLOTS);
export type PublishSlot = z.infer<typeof PublishSlotSchema>;

/** The media kind each publish slot carries. */
export const PUBLISH_SLOT_KIND = { microphone: 'audio', camera: 'video' } as const satisfies Record<
  PublishSlot,
  z.infer<typeof MediaKindSchema>
>;

const Id = z.string().min(1).max(200);
/** mediasoup's codec and extension parameters: flat key/value (e.g. `useinbandfec: 1`). */
const Params = z.record(z.string().max(100), z.union([z.string().max(500), z.number(), z.boolean()]));
const RtcpFeedbackSchema = z
  .object({ type: z.string().min(1).max(50), parameter: z.string().max(50).optional() })
  .strict();

// ---- server-offered SDP (werift) ----

export const SdpOfferSchema = z
  .object({ type: z.literal('offer'), sdp: z.string().min(10).max(100_000) })
  .strict();

export const SdpNegotiationSchema = z
  .object({
    kind: z.literal('sdp'),
    offer: SdpOfferSchema,
    /** The offer's receive-only m-lines, by what the client should send on each. */
    publish: z
      .array(
        z.object({ slot: PublishSlotSchema, kind: MediaKindSchema, mid: z.string().min(1).max(32) }).strict(),
      )
      .min(1)
      .max(2),
  })
  .strict();
export type SdpNegotiation = z.infer<typeof SdpNegotiationSchema>;

// ---- client-driven transports (mediasoup) ----

export const RtpCodecCapabilitySchema = z
  .object({
    kind: MediaKindSchema,
    mimeType: z.string().min(3).max(100),
    preferredPayloadType: z.number().int().min(0).max(127),
    clockRate: z.number().int().positive(),
    channels: z.number().int().positive().max(8).optional(),
    parameters: Params.optional(),
    rtcpFeedback: z.array(RtcpFeedbackSchema).max(20).optional(),
  })
  .strict();

export const RtpHeaderExtensionCapabilitySchema = z
  .object({
    kind: MediaKindSchema,
    uri: z.string().min(1).max(300),
    preferredId: z.number().int().min(1).max(255),
    preferredEncrypt: z.boolean().optional(),
    direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
  })
  .strict();

/** What a router can forward, or a device can receive. */
export const RtpCapabilitiesSchema = z
  .object({
    codecs: z.array(RtpCodecCapabilitySchema).max(100).optional(),
    headerExtensions: z.array(RtpHeaderExtensionCapabilitySchema).max(50).optional(),
  })
  .strict();
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

/** One sent or received stream's RTP parameters (mediasoup's `RtpParameters`). */
export const RtpParametersSchema = z
  .object({
    mid: z.string().max(32).optional(),
    codecs: z
      .array(
        z
          .object({
            mimeType: z.string().min(3).max(100),
            payloadType: z.number().int().min(0).max(127),
            clockRate: z.number().int().positive(),
            channels: z.number().int().positive().max(8).optional(),
            parameters: Params.optional(),
            rtcpFeedback: z.array(RtcpFeedbackSchema).max(20).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(10),
    headerExtensions: z
      .array(
        z
          .object({
            uri: z.string().min(1).max(300),
            id: z.number().int().min(1).max(255),
            encrypt: z.boolean().optional(),
            parameters: Params.optional(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    encodings: z
      .array(
        z
          .object({
            ssrc: z.number().int().min(0).max(0xffffffff).optional(),
            rid: z.string().max(32).optional(),
            codecPayloadType: z.number().int().min(0).max(127).optional(),
            rtx: z
              .object({ ssrc: z.number().int().min(0).max(0xffffffff) })
              .strict()
              .optional(),
            dtx: z.boolean().optional(),
            scalabilityMode: z.string().max(20).optional(),
            maxBitrate: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .max(4)
      .optional(),
    rtcp: z
      .object({
        cname: z.string().max(256).optional(),
        reducedSize: z.boolean().optional(),
        mux: z.boolean().optional(),
      })
      .strict()
      .optional(),
    msid: z.string().max(300).optional(),
  })
  .strict();
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const IceParametersSchema = z
  .object({
    usernameFragment: z.string().min(1).max(256),
    password: z.string().min(1).max(256),
    iceLite: z.boolean().optional(),
  })
  .strict();

export const IceCandidateSchema = z
  .object({
    foundation: z.string().min(1).max(64),
    priority: z.number().int().min(0),
    address: z.string().min(1).max(100),
    ip: z.string().max(100).optional(),
    protocol: z.enum(['udp', 'tcp']),
    port: z.number().int().min(1).max(65535),
    type: z.enum(['host', 'srflx', 'prflx', 'relay']),
    tcpType: z.enum(['active', 'passive', 'so']).optional(),
  })
  .strict();

export const DtlsParametersSchema = z
  .object({
    role: z.enum(['auto', 'client', 'server']).optional(),
    fingerprints: z
      .array(
        z
          .object({
            algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
            value: z.string().min(1).max(200),
          })
          .strict(),
      )
      .min(1)
      .max(5),
  })
  .strict();
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

/** A server-side WebRTC transport, as mediasoup-client's `createSendTransport`/`createRecvTransport` take it. */
export const TransportParametersSchema = z
  .object({
    id: Id,
    iceParameters: IceParametersSchema,
    iceCandidates: z.array(IceCandidateSchema).min(1).max(20),
    dtlsParameters: DtlsParametersSchema,
  })
  .strict();
export type TransportParameters = z.infer<typeof TransportParametersSchema>;

export const MediasoupNegotiationSchema = z
  .object({
    kind: z.literal('mediasoup'),
    routerRtpCapabilities: RtpCapabilitiesSchema.extend({
      codecs: z
        .array(
          RtpCodecCapabilitySchema.extend({
            preferredPayloadType: z.number().int().min(0).max(127).optional(),
          }),
        )
        .max(100)
        .optional(),
    }),
    /** What the client publishes goes up this one. */
    sendTransport: TransportParametersSchema,
    /** What the client hears and sees comes down this one. */
    recvTransport: TransportParametersSchema,
  })
  .strict();
export type MediasoupNegotiation = z.infer<typeof MediasoupNegotiationSchema>;

/** One stream the server sends a mediasoup client: consume it on the receive transport. */
export const ConsumerParametersSchema = z
  .object({
    /** The consumer's id; the listener's routing names its track by `rtpParameters.mid`. */
    id: Id,
    /** The id mediasoup-client's `consume` asks for: the server's producer id. */
    producerId: Id,
    speakerId: Id,
    kind: MediaKindSchema,
    rtpParameters: RtpParametersSchema.extend({ mid: z.string().min(1).max(32) }),
  })
  .strict();
export type ConsumerParameters = z.infer<typeof ConsumerParametersSchema>;

// ---- plain RTP (phone legs) ----

export const PlainRtpNegotiationSchema = z
  .object({
    kind: z.literal('plainRtp'),
    /** The server's transport: `produce` names it. */
    transportId: Id,
    /** Where the caller's gateway sends RTP (and RTCP, muxed). */
    address: z.string().min(1).max(100),
    port: z.number().int().min(1).max(65535),
    /** RFC 4568 SDES keying when the leg is SRTP; absent for plain RTP. */
    srtp: z
      .object({
        cryptoSuite: z.enum([
          'AES_CM_128_HMAC_SHA1_80',
          'AES_CM_128_HMAC_SHA1_32',
          'AEAD_AES_256_GCM',
          'AEAD_AES_128_GCM',
        ]),
        keyBase64: z.string().min(16).max(200),
      })
      .strict()
      .optional(),
    /** What the caller's leg sends: one audio stream. */
    publish: z.array(z.object({ slot: PublishSlotSchema, kind: MediaKindSchema }).strict()).max(1),
  })
  .strict();
export type PlainRtpNegotiation = z.infer<typeof PlainRtpNegotiationSchema>;

/** The server's half of a new media connection: what the client needs to set it up. */
export const MediaNegotiationSchema = z.discriminatedUnion('kind', [
  SdpNegotiationSchema,
  MediasoupNegotiationSchema,
  PlainRtpNegotiationSchema,
]);
export type MediaNegotiation = z.infer<typeof MediaNegotiationSchema>;
export type MediaNegotiationKind = MediaNegotiation['kind'];

// ---- client → server steps of the client-driven kind ----

/** mediasoup-client's transport `connect` event: its DTLS parameters. */
export const ConnectTransportMessageSchema = z
  .object({ transportId: Id, dtlsParameters: DtlsParametersSchema })
  .strict();
export type ConnectTransportMessage = z.infer<typeof ConnectTransportMessageSchema>;

/** mediasoup-client's send transport `produce` event, for one named slot. */
export const ProduceMessageSchema = z
  .object({
    transportId: Id,
    slot: PublishSlotSchema,
    kind: MediaKindSchema,
    rtpParameters: RtpParametersSchema,
  })
  .strict()
  .refine((m) => PUBLISH_SLOT_KIND[m.slot] === m.kind, {
    message: 'The slot carries another kind of media',
    path: ['kind'],
  });
export type ProduceMessage = z.infer<typeof ProduceMessageSchema>;
export interface ProduceResult {
  producerId: string;
}

/** What the client's device can receive; the server then sends it its consumers. */
export const ReceiveCapabilitiesMessageSchema = z.object({ rtpCapabilities: RtpCapabilitiesSchema }).strict();
export type ReceiveCapabilitiesMessage = z.infer<typeof ReceiveCapabilitiesMessageSchema>;

/** Server → client: the streams to consume now (on join, and when someone joins later). */
export const ConsumersMessageSchema = z
  .object({ consumers: z.array(ConsumerParametersSchema).max(32) })
  .strict();
export type ConsumersMessage = z.infer<typeof ConsumersMessageSchema>;
