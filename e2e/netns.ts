import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A network namespace of the test's own, joined to the root namespace by a veth pair: a /30 in
 * 10.213.0.0/16 with `hostAddress` on the root side and `nsAddress` inside. A browser run inside
 * sees only the namespace's loopback and the veth, so its ICE candidates are the veth address and
 * nothing of the machine's own network. Needs root and iproute2 (`ip netns`).
 */
export interface TestNetns {
  name: string;
  hostAddress: string;
  nsAddress: string;
  /** Starts `command` inside the namespace (its own process group, so `stop` takes its children). */
  spawn(command: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Stops what `spawn` started and deletes the namespace and its veth pair; safe to call twice. */
  close(): Promise<void>;
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why a test namespace cannot be made on this machine, or null when it can. */
export function netnsUnavailableReason(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'creating a network namespace needs root';
  try {
    ip(['netns', 'list']);
  } catch (error) {
    return `iproute2's "ip netns" is unavailable (${(error as Error).message.split('\n')[0]})`;
  }
  return null;
}

/** A /30 in 10.213.0.0/16 that no interface of the root namespace uses yet. */
function freeSubnet(): { host: string; ns: string } {
  const used = ip(['-4', '-o', 'addr', 'show']);
  for (let attempt = 0; attempt < 50; attempt++) {
    const [third, block] = [randomBytes(1)[0]!, randomBytes(1)[0]! & 0xfc];
    const prefix = `10.213.${third}.`;
    const host = `${prefix}${block + 1}`;
    const ns = `${prefix}${block + 2}`;
    if (!used.includes(` ${host}/`) && !used.includes(` ${ns}/`)) return { host, ns };
  }
  throw new Error('No free /30 in 10.213.0.0/16 for a test namespace');
}

/** Firefox's namespaces (firefox-call.spec.ts) and Chromium's (chromiumNetns.ts). */
const PREFIXES = ['parley-e2e-', 'parley-cr-'] as const;
type Prefix = (typeof PREFIXES)[number];

/** Deletes a test namespace, with its veth pair and anything still running in it; synchronous. */
export function deleteTestNetns(name: string): void {
  // Anything still running in the namespace was started in it by a test.
  try {
    const left = ip(['netns', 'pids', name]).split(/\s+/).filter(Boolean).map(Number);
    for (const pid of left) process.kill(pid, 'SIGKILL');
  } catch {
    // The namespace was never made, or is already gone.
  }
  try {
    ip(['netns', 'delete', name]);
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces that test runs killed before their clean-up left (their process is gone). */
function sweepStaleNamespaces(): void {
  for (const line of ip(['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    for (const prefix of PREFIXES) {
      const match = new RegExp(`^${prefix}([0-9a-z]+)[0-9a-f]{4}$`).exec(name);
      if (match && !isAlive(parseInt(match[1]!, 36))) deleteTestNetns(name);
    }
  }
}

/** A namespace named `<prefix><this process's pid, base 36><4 hex>`: the sweep reads the pid. */
export function createTestNetns(prefix: Prefix = 'parley-e2e-'): TestNetns {
  sweepStaleNamespaces();
  const id = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
  const name = `${prefix}${id}`;
  // Interface names are at most 15 characters.
  const [hostIf, nsIf] = [`pv${id}h`.slice(0, 15), `pv${id}n`.slice(0, 15)];
  const { host, ns } = freeSubnet();
  const children: ChildProcess[] = [];
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all(children.map(stopProcessGroup));
    deleteTestNetns(name);
    try {
      // Deleting the namespace deletes the inside end, and with it the pair; this is in case not.
      ip(['link', 'delete', hostIf]);
    } catch {
      // Already gone with the namespace.
    }
  };

  try {
    ip(['netns', 'add', name]);
    ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    ip(['link', 'set', nsIf, 'netns', name]);
    ip(['addr', 'add', `${host}/30`, 'dev', hostIf]);
    ip(['link', 'set', hostIf, 'up']);
    ip(['-n', name, 'addr', 'add', `${ns}/30`, 'dev', nsIf]);
    ip(['-n', name, 'link', 'set', nsIf, 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    void close();
    throw error;
  }

  return {
    name,
    hostAddress: host,
    nsAddress: ns,
    spawn(command, args, env) {
      const child = spawn('ip', ['netns', 'exec', name, command, ...args], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: env ?? process.env,
      });
      children.push(child);
      return child;
    },
    close,
  };
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A TCP relay in this process: connections to `listenHost:listenPort` (0: any free port) are
 * piped to `target`. Lets a namespaced browser reach a server that listens on 127.0.0.1.
 */
export async function relayTcp(
  listenHost: string,
  listenPort: number,
  target: { host: string; port: number },
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming) => {
    const outgoing = connect(target.port, target.host);
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        incoming.destroy();
        outgoing.destroy();
      });
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The relay has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The same relay, run by a Node process inside the namespace: connections to
 * `listenHost:port` there are piped to `127.0.0.1:port` there (a browser's remote-control port,
 * which listens on the namespace's loopback only). Resolves once it listens.
 */
export async function relayInNetns(netns: TestNetns, listenHost: string, port: number): Promise<void> {
  const code = `
    const net = require('node:net');
    const [host, port] = [process.argv[1], Number(process.argv[2])];
    net.createServer((a) => {
      const b = net.connect(port, '127.0.0.1');
      const end = () => { a.destroy(); b.destroy(); };
      a.on('error', end); b.on('error', end);
      a.pipe(b).pipe(a);
    }).listen(port, host, () => console.log('relay listening'));
  `;
  const child = netns.spawn(process.execPath, ['-e', code, listenHost, String(port)]);
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('relay listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`The relay in ${netns.name} exited (${code}): ${err}`)));
  });
}
