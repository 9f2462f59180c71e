/** Stable codes for refusals by the media engine; signalling maps them to its error acks. */
export const MEDIA_ERROR_CODES = [
  'ENGINE_CLOSED',
  'ROOM_EXISTS',
  'ROOM_CLOSED',
  'ROOM_FULL',
  'DUPLICATE_PARTICIPANT',
  'NO_MEDIA_FOR_STAFF',
  'PARTICIPANT_CLOSED',
  'BAD_SESSION_DESCRIPTION',
  'BAD_ICE_CANDIDATE',
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaError';
  }
}
