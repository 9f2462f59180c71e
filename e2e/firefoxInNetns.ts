import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { relayInNetns, type TestNetns } from './netns.ts';

/** Firefox's WebDriver BiDi port inside the namespace (a fresh namespace has nothing else on it). */
const BIDI_PORT = 9222;

/** Quiet automation: no first-run pages, updates, telemetry or background fetches. */
const AUTOMATION_PREFS: Record<string, string | number | boolean> = {
  'app.normandy.enabled': false,
  'app.update.disabledForTesting': true,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.newtabpage.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.sessionstore.resume_from_crash': false,
  'browser.tabs.warnOnClose': false,
  'browser.warnOnQuit': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
  'dom.ipc.reportProcessHangs': false,
  'remote.prefs.recommended': true,
  // One content process, as puppeteer's own Firefox launcher sets, for input from the main frame.
  'fission.webContentIsolationStrategy': 0,
};

function prefLine(name: string, value: string | number | boolean): string {
  return `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});\n`;
}

export interface NamespacedFirefox {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's firefox-esr, headless, inside `netns`, driven by puppeteer-core over WebDriver BiDi.
 * Its remote-control port listens on the namespace's loopback only; a relay in the namespace
 * exposes it on the namespace's veth address, where this process connects. `prefs` are added to the
 * profile's user.js.
 */
export async function launchFirefoxInNetns(
  netns: TestNetns,
  executablePath: string,
  prefs: Record<string, string | number | boolean>,
): Promise<NamespacedFirefox> {
  const profile = mkdtempSync(join(tmpdir(), 'parley-firefox-'));
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries({ ...AUTOMATION_PREFS, ...prefs })
      .map(([name, value]) => prefLine(name, value))
      .join(''),
  );
  const firefox = netns.spawn(
    executablePath,
    [
      '--headless',
      '--no-remote',
      '--profile',
      profile,
      '--remote-debugging-port',
      String(BIDI_PORT),
      'about:blank',
    ],
    { ...process.env, HOME: profile, MOZ_CRASHREPORTER_DISABLE: '1' },
  );
  const cleanup = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`firefox-esr did not open WebDriver BiDi in 120 s:\n${output.slice(-2000)}`)),
        120_000,
      );
      const read = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        if (/WebDriver BiDi listening on ws:\/\//.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      firefox.stdout?.on('data', read);
      firefox.stderr?.on('data', read);
      firefox.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(`firefox-esr exited (${code}) before WebDriver BiDi opened:\n${output.slice(-2000)}`),
        );
      });
    });
    await relayInNetns(netns, netns.nsAddress, BIDI_PORT);
    const browser = await puppeteer.connect({
      browserWSEndpoint: `ws://${netns.nsAddress}:${BIDI_PORT}/session`,
      protocol: 'webDriverBiDi',
      // Firefox takes upgrades for the host it listens on (its loopback), which the relay stands for.
      headers: { Host: `127.0.0.1:${BIDI_PORT}` },
    });
    return {
      browser,
      async close() {
        const exited = new Promise<void>((resolve) => {
          if (firefox.exitCode !== null || firefox.signalCode !== null) resolve();
          else firefox.once('exit', () => resolve());
        });
        await browser.close().catch(() => undefined);
        const timer = setTimeout(() => {
          try {
            process.kill(-firefox.pid!, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }, 10_000);
        await exited;
        clearTimeout(timer);
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
