/**
 * DTMF from a phone: RFC 4733 telephone-events in the RTP stream, or SIP INFO bodies as the
 * fallback some PBXs use. One key press arrives as several event packets (and three copies of its
 * end), so a press is counted once per event timestamp.
 */

const EVENT_KEYS = '0123456789*#ABCD';

/** The key an RFC 4733 event code stands for (0–15), or null for other events. */
export function keyOfEvent(code: number): string | null {
  return EVENT_KEYS[code] ?? null;
}

/** Turns telephone-event packets into key presses, once each. */
export class TelephoneEventReader {
  private lastTimestamp: number | null = null;

  /** Returns the key when this packet starts a new press (its first packet seen), else null. */
  read(payload: Uint8Array, rtpTimestamp: number): string | null {
    if (payload.length < 4) return null;
    const key = keyOfEvent(payload[0]!);
    if (key === null) return null;
    // Every packet of one event carries the event's start timestamp (RFC 4733 §2.5.1.2).
    if (this.lastTimestamp === rtpTimestamp) return null;
    this.lastTimestamp = rtpTimestamp;
    return key;
  }
}

/**
 * The key in a SIP INFO body: `application/dtmf-relay` ("Signal=5\r\nDuration=160") or
 * `application/dtmf` ("5"). Null when the body says no key.
 */
export function keyOfInfo(contentType: string | undefined, body: string): string | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  let raw: string | undefined;
  if (type === 'application/dtmf-relay') raw = /^\s*signal\s*=\s*(\S+)/im.exec(body)?.[1];
  else if (type === 'application/dtmf') raw = body.trim();
  if (raw === undefined || raw.length === 0 || raw.length > 2) return null;
  const upper = raw.toUpperCase();
  if (/^\d+$/.test(upper)) return keyOfEvent(Number(upper));
  return EVENT_KEYS.includes(upper) && upper.length === 1 ? upper : null;
}
