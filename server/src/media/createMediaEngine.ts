import type { MediaConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { MediaEngine } from './MediaEngine.ts';
import { WeriftBackend } from './werift/WeriftBackend.ts';

/**
 * The server's media engine: the engine-neutral rooms over the backend the configuration asks
 * for. `listenAddresses` are the resolved addresses to gather on (see server.ts).
 */
export function createMediaEngine(
  media: MediaConfig,
  listenAddresses: string[],
  logger: Logger,
): MediaEngine {
  const backend = new WeriftBackend({
    logger,
    ice: {
      listenAddresses,
      ...(media.announcedAddress ? { announcedAddress: media.announcedAddress } : {}),
      ...(media.portRange ? { portRange: media.portRange } : {}),
    },
  });
  return new MediaEngine(backend, { logger });
}
