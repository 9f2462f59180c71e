export { MediaEngine, type MediaEngineOptions } from './MediaEngine.ts';
export type { MediaEvents } from './MediaEvents.ts';
export { MediaRoom, type AppliedRouting } from './MediaRoom.ts';
export {
  MediaParticipant,
  MediaSubscription,
  type ParticipantConnectionState,
  type ParticipantEvents,
} from './MediaParticipant.ts';
export type { MediaBackend, MediaBackendEvents, MediaBackendName, NegotiationStep } from './MediaBackend.ts';
export type { EventSource, Listener } from './TypedEmitter.ts';
export { MediaError, MEDIA_ERROR_CODES, type MediaErrorCode } from './MediaError.ts';
export {
  DEFAULT_QUALITY_THRESHOLDS,
  qualityLevel,
  type QualitySample,
  type QualityThresholds,
} from './linkQuality.ts';
export { WeriftBackend, type WeriftBackendOptions } from './werift/WeriftBackend.ts';
export type { IceOptions } from './werift/peerConfig.ts';
