import type { MediaConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { MediaBackend } from './MediaBackend.ts';
import { MediaEngine } from './MediaEngine.ts';
import { MediasoupBackend } from './mediasoup/MediasoupBackend.ts';
import { findWorkerBinary } from './mediasoup/workerBinary.ts';
import { WeriftBackend } from './werift/WeriftBackend.ts';

/**
 * The server's media engine: the engine-neutral rooms over the backend MEDIA_ENGINE asks for.
 * `auto` takes mediasoup when its worker binary exists and starts, werift otherwise (the
 * zero-build fallback), and says which at start-up. Asking for mediasoup by name and not getting
 * it is a start-up error. `listenAddresses` are the resolved addresses to listen on (server.ts).
 */
export async function createMediaEngine(
  media: MediaConfig,
  listenAddresses: string[],
  logger: Logger,
): Promise<MediaEngine> {
  const log = logger.child({ component: 'media' });
  let backend: MediaBackend | undefined;
  if (media.engine !== 'werift') {
    const binary = findWorkerBinary();
    try {
      if (!binary.available) throw new Error(binary.reason);
      const workers = Math.max(1, media.workers);
      backend = await MediasoupBackend.start({
        logger,
        workerBin: binary.path,
        workers,
        listenIps: listenAddresses,
        ...(media.announcedAddress ? { announcedAddress: media.announcedAddress } : {}),
        // Worker i's WebRtcServer on min + i; plain RTP legs (phones) on the rest of the range.
        ...(media.portRange
          ? {
              port: media.portRange.min,
              portRange: { min: media.portRange.min + workers, max: media.portRange.max },
            }
          : {}),
      });
      log.info({ engine: 'mediasoup', workers, workerBin: binary.path }, 'media engine: mediasoup');
    } catch (error) {
      if (media.engine === 'mediasoup')
        throw new Error(`MEDIA_ENGINE=mediasoup, but its worker did not start: ${String(error)}`, {
          cause: error,
        });
      log.warn({ err: error }, 'media engine: werift (the mediasoup worker is not available)');
    }
  }
  backend ??= new WeriftBackend({
    logger,
    ice: {
      listenAddresses,
      ...(media.announcedAddress ? { announcedAddress: media.announcedAddress } : {}),
      ...(media.portRange ? { portRange: media.portRange } : {}),
    },
  });
  if (backend.name === 'werift') log.info({ engine: 'werift' }, 'media engine: werift');
  return new MediaEngine(backend, { logger });
}
