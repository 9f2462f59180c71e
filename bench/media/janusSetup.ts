/**
 * Janus beside Parley on the same machine. Janus leaves loopback out of its ICE candidates
 * (TESTING.md), so it runs in a network namespace of the benchmark's own, with a veth pair whose
 * ends are 10.77.0.2 (Janus) and 10.77.0.1 (the generator, in a second namespace): every
 * packet stays on this machine and nothing is added to the host's interfaces. (Both ends in one
 * namespace fails: libnice gives up on ICE between two of its own addresses; so the generator's
 * end lives in a second namespace.) Janus is pinned to
 * core 0 and the generator, a child process inside the namespace, to core 1, as for Parley.
 * Needs root (ip netns) and Debian's `janus` package; installs it when missing unless quick.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canPin, note, run, sleep } from './support.ts';

export const NAMESPACE = 'parley-bench';
/** The generator's side: libnice fails ICE between two addresses of its own namespace. */
export const GENERATOR_NAMESPACE = 'parley-bench-gen';
export const GENERATOR_ADDRESS = '10.77.0.1';
export const JANUS_ADDRESS = '10.77.0.2';
const CONFIG_DIR = '/tmp/parley-bench-janus';
const LIB = '/usr/lib/x86_64-linux-gnu/janus';

export async function ensureJanus(install: boolean): Promise<string | undefined> {
  if (existsSync('/usr/bin/janus')) return undefined;
  if (!install) return 'Janus is not installed (apt-get install -y janus); skipped in --quick';
  note('installing Debian janus');
  try {
    await run('apt-get', ['install', '-y', '-qq', 'janus'], { quiet: true });
  } catch {
    try {
      await run('apt-get', ['update', '-qq'], { quiet: true });
      await run('apt-get', ['install', '-y', '-qq', 'janus'], { quiet: true });
    } catch (error) {
      return `could not install janus: ${String(error)}`;
    }
  }
  return existsSync('/usr/bin/janus') ? undefined : 'janus is still missing after apt-get';
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

export async function createNamespace(): Promise<void> {
  await deleteNamespace();
  await ip('netns', 'add', NAMESPACE);
  await ip('netns', 'add', GENERATOR_NAMESPACE);
  await ip('-n', NAMESPACE, 'link', 'set', 'lo', 'up');
  await ip('-n', GENERATOR_NAMESPACE, 'link', 'set', 'lo', 'up');
  await ip(
    '-n',
    NAMESPACE,
    'link',
    'add',
    'pbjanus',
    'type',
    'veth',
    'peer',
    'name',
    'pbgen',
    'netns',
    GENERATOR_NAMESPACE,
  );
  await ip('-n', GENERATOR_NAMESPACE, 'addr', 'add', `${GENERATOR_ADDRESS}/24`, 'dev', 'pbgen');
  await ip('-n', NAMESPACE, 'addr', 'add', `${JANUS_ADDRESS}/24`, 'dev', 'pbjanus');
  await ip('-n', GENERATOR_NAMESPACE, 'link', 'set', 'pbgen', 'up');
  await ip('-n', NAMESPACE, 'link', 'set', 'pbjanus', 'up');
}

export async function deleteNamespace(): Promise<void> {
  await run('ip', ['netns', 'delete', NAMESPACE], { quiet: true }).catch(() => undefined);
  await run('ip', ['netns', 'delete', GENERATOR_NAMESPACE], { quiet: true }).catch(() => undefined);
}

function writeConfig(): void {
  mkdirSync(CONFIG_DIR, { recursive: true });
  writeFileSync(
    `${CONFIG_DIR}/janus.jcfg`,
    `general: {
  configs_folder = "${CONFIG_DIR}"
  plugins_folder = "${LIB}/plugins"
  transports_folder = "${LIB}/transports"
  events_folder = "${LIB}/events"
  loggers_folder = "${LIB}/loggers"
  debug_level = 3
  session_timeout = 0
}
media: {
  rtp_port_range = "20000-40000"
}
nat: {
  nice_debug = false
  full_trickle = false
  ice_enforce_list = "pbjanus"
}
plugins: {
  disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so"
}
transports: {
  disable = "libjanus_websockets.so,libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so"
}
events: {
  broadcast = false
}
`,
  );
  writeFileSync(`${CONFIG_DIR}/janus.plugin.videoroom.jcfg`, 'general: {\n}\n');
  writeFileSync(
    `${CONFIG_DIR}/janus.transport.http.jcfg`,
    `general: {
  json = "compact"
  base_path = "/janus"
  http = true
  port = 8088
  https = false
}
admin: {
  admin_http = false
}
`,
  );
}

/** Starts Janus in the namespace on core 0; resolves once its HTTP API answers. */
export async function startJanus(): Promise<ChildProcess> {
  writeConfig();
  const janus = [
    '/usr/bin/janus',
    '-F',
    CONFIG_DIR,
    '-C',
    `${CONFIG_DIR}/janus.jcfg`,
    '-L',
    `${CONFIG_DIR}/janus.log`,
  ];
  const command = canPin() ? ['taskset', '-c', '0', ...janus] : janus;
  const child = spawn('ip', ['netns', 'exec', NAMESPACE, ...command], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    if (child.exitCode !== null) throw new Error(`janus exited ${child.exitCode}: ${log}`);
    try {
      await run(
        'ip',
        ['netns', 'exec', GENERATOR_NAMESPACE, 'curl', '-sf', `http://${JANUS_ADDRESS}:8088/janus/info`],
        {
          quiet: true,
        },
      );
      return child;
    } catch {
      // not up yet
    }
  }
  throw new Error(`janus did not answer on its HTTP API: ${log}`);
}

/** The Janus pid (ip netns exec and taskset exec into it, so it is the child's). */
export function janusGeneratorCommand(janusPid: number, quick: boolean): string[] {
  const file = fileURLToPath(new URL('./janusBench.ts', import.meta.url));
  const node = [process.execPath, '--import', 'tsx', file, String(janusPid), ...(quick ? ['--quick'] : [])];
  return ['netns', 'exec', GENERATOR_NAMESPACE, ...(canPin() ? ['taskset', '-c', '1', ...node] : node)];
}
