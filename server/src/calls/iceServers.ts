import { createHmac } from 'node:crypto';
import type { IceServerConfig } from '@parley/shared';
import type { MediaConfig } from '../config.ts';

/**
 * STUN/TURN servers for a participant's browser. TURN credentials follow coturn's REST scheme
 * (`use-auth-secret`): the username carries an expiry, the password is its HMAC, so no TURN
 * account ever needs storing.
 */
export function iceServersFor(
  media: MediaConfig,
  participantId: string,
  now = Date.now(),
): IceServerConfig[] {
  const servers: IceServerConfig[] = [];
  if (media.stunUrls.length > 0) servers.push({ urls: media.stunUrls });
  if (media.turnUrls.length > 0 && media.turnSecret) {
    const username = `${Math.floor(now / 1000) + 12 * 3600}:${participantId}`;
    const credential = createHmac('sha1', media.turnSecret).update(username).digest('base64');
    servers.push({ urls: media.turnUrls, username, credential });
  }
  return servers;
}
