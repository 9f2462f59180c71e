export type { MediaEngine } from './MediaEngine.ts';
export type { MediaEvents } from './MediaEvents.ts';
export type { AppliedRouting, Room } from './Room.ts';
export type {
  IceCandidateInit,
  Participant,
  ParticipantConnectionState,
  ParticipantEvents,
  QualitySample,
  SessionDescription,
} from './Participant.ts';
export type { Publication, PublicationEvents } from './Publication.ts';
export type { Subscription, SubscriptionEvents } from './Subscription.ts';
export type { EventSource, Listener } from './TypedEmitter.ts';
export { MediaError, MEDIA_ERROR_CODES, type MediaErrorCode } from './MediaError.ts';
export { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from './linkQuality.ts';
export { WeriftEngine, type WeriftEngineOptions } from './werift/WeriftEngine.ts';
export type { IceOptions } from './werift/peerConfig.ts';
