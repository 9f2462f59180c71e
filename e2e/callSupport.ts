import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromium.ts';
import { chromiumExecutable } from './chromiumNetns.ts';

/** A 48 kHz mono 16-bit WAV of a steady sine tone: each participant's "voice". */
export function writeToneWav(frequency: number, seconds = 8): string {
  const rate = 48_000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / rate) * 0.5 * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  const path = join(mkdtempSync(join(tmpdir(), 'parley-tone-')), `tone-${frequency}.wav`);
  writeFileSync(path, Buffer.concat([header, data]));
  return path;
}

/**
 * One Chromium process per participant, so each gets its own WAV file as microphone; inside the
 * run's network namespace when it has one (chromiumNetns.ts).
 */
export async function launchParticipantBrowser(wav: string): Promise<Browser> {
  const executablePath = chromiumExecutable();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Tones go through unprocessed: noise suppression would treat a steady sine as noise. */
export async function originalSound(page: Page): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('parley.originalSound', 'on'));
}

export interface Heard {
  frequency: number | null;
  level: number;
}

/**
 * Runs in the page: what it plays from the participant in the tile of `role`. Self-contained, so a
 * page can also call it from its own timer (the join benchmark polls it every 10 ms).
 */
export function heardInPage(role: string): Heard {
  const tile = document.querySelector(`.tile[data-role="${role}"]`);
  const id = tile?.getAttribute('data-participant');
  const call = (window as any).parleyCall;
  if (!id || !call) return { frequency: null, level: 0 };
  return { frequency: call.audio.dominantFrequency(id), level: call.audio.level(id) };
}

/** What this page plays from the participant in the tile of `role`. */
export async function heardFrom(page: Page, role: string): Promise<Heard> {
  return page.evaluate(heardInPage, role);
}

/**
 * Waits until this page hears `role` at about `frequency` Hz. One reading decides both bounds: a
 * second read could fall in the next analyser frame, between two packets, and find no tone.
 */
export async function expectToHear(page: Page, role: string, frequency: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const heard = (await heardFrom(page, role)).frequency;
        return heard !== null && Math.abs(heard - frequency) < 40 ? 'heard' : heard;
      },
      { timeout: 20_000, message: `${role} at ${frequency} Hz` },
    )
    .toBe('heard');
}

/** RTP packets this page has received on the track that carries `role`'s audio. */
export async function packetsFrom(page: Page, role: string): Promise<number> {
  return page.evaluate(async (r) => {
    const tile = document.querySelector(`.tile[data-role="${r}"]`);
    const id = tile?.getAttribute('data-participant');
    const call = (window as any).parleyCall;
    const track = call?.routing()?.tracks.find((t: any) => t.kind === 'audio' && t.speakerId === id);
    // What the media session receives, whichever engine: inbound streams by the plan's mid.
    const stats: RTCStatsReport | null = track ? await call.receiveStats() : null;
    if (!stats) return -1;
    let packets = 0;
    stats.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.mid === track.mid) packets = s.packetsReceived;
    });
    return packets;
  }, role);
}

/** The gain this page applies to `role`'s audio under the current plan (0 when not sent). */
export async function gainFor(page: Page, role: string): Promise<{ sent: boolean; gain: number }> {
  return page.evaluate((r) => {
    const id = document.querySelector(`.tile[data-role="${r}"]`)?.getAttribute('data-participant');
    const track = (window as any).parleyCall
      ?.routing()
      ?.tracks.find((t: any) => t.kind === 'audio' && t.speakerId === id);
    return track ? { sent: track.sent as boolean, gain: track.gain as number } : { sent: false, gain: 0 };
  }, role);
}

/**
 * The media session kind the pages should be on: `mediasoup` when the suite's server was told to use
 * mediasoup, `sdp` (werift) when told werift; null under `auto` or the default, where either may win.
 */
export function expectedMediaKind(): 'mediasoup' | 'sdp' | null {
  const engine = process.env.E2E_MEDIA_ENGINE ?? process.env.MEDIA_ENGINE;
  if (engine === 'mediasoup') return 'mediasoup';
  if (engine === 'werift') return 'sdp';
  return null;
}

/** The page's media session: its kind and connection state, or null while it has none. */
export async function mediaOf(page: Page): Promise<{ kind: string; connectionState: string } | null> {
  return page.evaluate(() => (window as any).parleyCall?.media() ?? null);
}

/**
 * Keeps every RTCPeerConnection the page makes (in `window.__peerConnections`), whichever engine's
 * session makes them, so a test can fail one as ICE would. Add before the page loads.
 */
export async function recordPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const made: RTCPeerConnection[] = [];
    (window as any).__peerConnections = made;
    const Native = window.RTCPeerConnection;
    class Recorded extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        made.push(this);
      }
    }
    window.RTCPeerConnection = Recorded;
  });
}

/**
 * Makes the page's most recent connected peer connection report `failed`, as ICE does when it gives
 * up, and returns how many peer connections the page had made by then: one made later is new.
 */
export async function failMediaConnection(page: Page): Promise<number> {
  return page.evaluate(() => {
    const made = (window as any).__peerConnections as RTCPeerConnection[];
    const pc = made.filter((p) => p.connectionState === 'connected').at(-1);
    if (!pc) throw new Error('No connected peer connection to fail');
    Object.defineProperty(pc, 'connectionState', { get: () => 'failed' });
    pc.dispatchEvent(new Event('connectionstatechange'));
    return made.length;
  });
}

/** A peer connection made after the first `before` is connected, and the page's session is too. */
export async function mediaReconnectedAfter(page: Page, before: number): Promise<boolean> {
  return page.evaluate((count) => {
    const made = (window as any).__peerConnections as RTCPeerConnection[];
    const session = (window as any).parleyCall?.media();
    return (
      made.slice(count).some((p) => p.connectionState === 'connected') &&
      session?.connectionState === 'connected'
    );
  }, before);
}

/**
 * The addresses of the selected ICE candidate pair of each connected peer connection the page has
 * made (recordPeerConnections keeps them): whichever engine's, sending and receiving. Chromium
 * names the pair in its transport's `selectedCandidatePairId`.
 */
export async function selectedCandidatePairs(page: Page): Promise<{ local: string; remote: string }[]> {
  return page.evaluate(async () => {
    const made = ((window as any).__peerConnections ?? []) as RTCPeerConnection[];
    const pairs: { local: string; remote: string }[] = [];
    for (const pc of made) {
      if (pc.connectionState !== 'connected') continue;
      const stats: Map<string, any> = (await pc.getStats()) as any;
      const address = (id: string): string => {
        const candidate = stats.get(id);
        return candidate?.address ?? candidate?.ip ?? '?';
      };
      stats.forEach((s: any) => {
        const pair =
          s.type === 'transport' && s.selectedCandidatePairId && stats.get(s.selectedCandidatePairId);
        if (pair)
          pairs.push({ local: address(pair.localCandidateId), remote: address(pair.remoteCandidateId) });
      });
    }
    return pairs;
  });
}
