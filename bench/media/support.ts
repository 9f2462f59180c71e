/** Process, CPU and output helpers shared by the media benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RTCPeerConnection } from 'werift';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLOCK_TICKS_PER_S = 100;

/** One JSON line per figure on stdout; everything else goes to stderr. */
export function emit(figure: Record<string, unknown> & { figure: string }): void {
  const rounded = Object.fromEntries(
    Object.entries(figure).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
  );
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

export function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const digits = Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 2 : 4;
  return Number(v.toFixed(digits));
}

export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system, all threads) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Resident memory of a process in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Measures CPU of a process over an interval, as a fraction of one core. */
export class CpuMeter {
  private startCpu: number;
  private startAt: number;
  constructor(private readonly pid: number) {
    this.startCpu = cpuSeconds(pid);
    this.startAt = performance.now();
  }
  /** Cores used since construction (or the last call). */
  read(): number {
    const cpu = cpuSeconds(this.pid);
    const at = performance.now();
    const cores = (cpu - this.startCpu) / ((at - this.startAt) / 1000);
    this.startCpu = cpu;
    this.startAt = at;
    return cores;
  }
}

/** Whether `taskset` can pin processes here (it is part of util-linux). */
let tasksetAvailable: boolean | undefined;
export function canPin(): boolean {
  if (tasksetAvailable === undefined) {
    try {
      readFileSync('/usr/bin/taskset');
      tasksetAvailable = true;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** Pins this process (all its threads) to `core`. */
export async function pinSelf(core: number): Promise<void> {
  if (!canPin()) return;
  await run('taskset', ['-a', '-cp', String(core), String(process.pid)]);
}

export function run(command: string, args: string[], options: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${options.quiet ? '' : err.trim()}`));
    });
  });
}

/** A TypeScript module in a child process with IPC, pinned to `core` when taskset exists. */
export class IpcChild<Request> {
  readonly child: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly readyPromise: Promise<void>;

  constructor(modulePath: string, core: number, nodeArgs: string[] = [], args: string[] = []) {
    const file = fileURLToPath(new URL(modulePath, import.meta.url));
    const node = [...nodeArgs, '--import', 'tsx', file, ...args];
    const [command, commandArgs] = canPin()
      ? ['taskset', ['-c', String(core), process.execPath, ...node]]
      : [process.execPath, node];
    this.child = spawn(command, commandArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.readyPromise = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`${modulePath} exited ${code}`)));
      this.child.on(
        'message',
        (message: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
          if (message.ready) return resolve();
          const pending = this.pending.get(message.id!);
          if (!pending) return;
          this.pending.delete(message.id!);
          if (message.error !== undefined) pending.reject(new Error(message.error));
          else pending.resolve(message.result);
        },
      );
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  request<T>(request: Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, request });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/** Resolves when werift's connection is up; rejects when it fails, closes, or takes too long. */
export function waitConnected(pc: RTCPeerConnection, timeoutMs = 15_000): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connection timed out')), timeoutMs);
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' || state === 'failed' || state === 'closed') {
        clearTimeout(timer);
        unSubscribe();
        if (state === 'connected') resolve();
        else reject(new Error(`connection ${state}`));
      }
    });
  });
}
