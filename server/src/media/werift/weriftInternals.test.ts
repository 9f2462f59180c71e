import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from 'werift';
import { REPO_ROOT } from '../../config.ts';
import { SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80 } from '../srtp.ts';
import { peerConnectionConfig } from './peerConfig.ts';
import { WERIFT_VERSION_CHECKED, assertSenderInternals, preferSrtpProfiles } from './weriftInternals.ts';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/**
 * The lean audio path reads and writes werift's private state (weriftInternals.ts). Those fields
 * are not part of werift's API and move between releases, so the werift this repository builds
 * with must be the very release they were checked against. The connected-state internals (the
 * nominated UDP pair, receiver statistics, SRTP contexts) are exercised end to end by the lean
 * path's routing tests; this file fails first, and says why.
 */
describe('werift internals are tied to one werift release', () => {
  it('server/package.json pins werift exactly, to the release weriftInternals.ts was checked against', () => {
    const server = readJson(resolve(REPO_ROOT, 'server/package.json')) as {
      dependencies: Record<string, string>;
    };
    expect(server.dependencies.werift).toBe(WERIFT_VERSION_CHECKED);
  });

  it('package-lock.json locks and node_modules holds that same release', () => {
    const lock = readJson(resolve(REPO_ROOT, 'package-lock.json')) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
    };
    expect(lock.packages['node_modules/werift']?.version).toBe(WERIFT_VERSION_CHECKED);
    expect(lock.packages.server?.dependencies?.werift).toBe(WERIFT_VERSION_CHECKED);
    // werift's exports map hides its package.json: find the package root from its entry point.
    const entry = createRequire(resolve(REPO_ROOT, 'server/package.json')).resolve('werift');
    const root = entry.slice(0, entry.lastIndexOf('/node_modules/werift/') + '/node_modules/werift'.length);
    const installed = readJson(resolve(root, 'package.json')) as { version: string };
    expect(installed.version).toBe(WERIFT_VERSION_CHECKED);
  });

  describe('the fields exist on real werift objects', () => {
    let pc: RTCPeerConnection | undefined;
    afterEach(async () => {
      await pc?.close();
      pc = undefined;
    });

    it('a sender has the RTCP counters and loop the lean send path drives', () => {
      pc = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
      const transceiver = pc.addTransceiver('audio', { direction: 'sendonly' });
      expect(() => assertSenderInternals(transceiver.sender)).not.toThrow();
      // And the check is not vacuous: a sender without them is refused.
      expect(() => assertSenderInternals({} as typeof transceiver.sender)).toThrow(/changed shape/);
    });

    it("a DTLS transport's SRTP profiles can be reordered before the handshake", async () => {
      pc = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
      pc.addTransceiver('audio', { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      const profiles = [SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AEAD_AES_128_GCM];
      preferSrtpProfiles(pc.dtlsTransports, profiles);
      for (const transport of pc.dtlsTransports) {
        expect((transport as unknown as { srtpProfiles: number[] }).srtpProfiles).toEqual(profiles);
      }
    });
  });
});
