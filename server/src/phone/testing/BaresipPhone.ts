import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real phone for tests: Debian's baresip (a SIP user agent) in a config folder of the test's
 * own, on 127.0.0.1. Its microphone is a sine WAV (aufile), what it hears is dumped to a WAV by
 * the sndfile module, and it is driven through ctrl_tcp (dial, DTMF with sndcode, hang up).
 * The recording is the phone's, not Parley's: Parley writes nothing to disk.
 */
export class BaresipPhone {
  readonly dir: string;
  private process: ChildProcess | undefined;
  private control: Socket | undefined;
  private buffer = '';
  readonly events: { type: string; [key: string]: unknown }[] = [];
  output = '';

  constructor(
    readonly options: {
      name: string;
      /** The phone's own SIP port and ctrl_tcp port, and its RTP port range. */
      sipPort: number;
      controlPort: number;
      rtpPorts: { min: number; max: number };
      toneHz: number;
      /**
       * What to offer: a G.711 law (baresip's g711 module offers both; this one first), or 'opus'
       * alone (its opus module, mono, 48 kHz microphone and speaker).
       */
      codec?: 'PCMU' | 'PCMA' | 'opus';
      transport?: 'udp' | 'tcp';
      /** The SIP user of its account (default: `name`); a callee of Parley's dial-out is a number. */
      user?: string;
      /** 'auto': answers incoming calls at once (a callee of Parley's dial-out). Default: manual. */
      answerMode?: 'manual' | 'auto';
    },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `parley-phone-${options.name}-`));
  }

  static available(): boolean {
    try {
      readFileSync('/usr/lib/baresip/modules/ctrl_tcp.so');
      return true;
    } catch {
      return false;
    }
  }

  async start(): Promise<void> {
    const { sipPort, controlPort, rtpPorts, toneHz } = this.options;
    const codec = this.options.codec ?? 'PCMU';
    const rate = codec === 'opus' ? 48_000 : 8000;
    writeFileSync(join(this.dir, 'tone.wav'), sineWav(toneHz, 60, 12000, rate));
    writeFileSync(
      join(this.dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        `audio_source aufile,${join(this.dir, 'tone.wav')}`,
        'audio_player aubridge,parley-test',
        'audio_alert aubridge,parley-test',
        `ausrc_srate ${rate}`,
        `auplay_srate ${rate}`,
        'ausrc_channels 1',
        'auplay_channels 1',
        `rtp_ports ${rtpPorts.min}-${rtpPorts.max}`,
        'rtcp_mux no',
        'jitter_buffer_delay 1-4',
        'module_path /usr/lib/baresip/modules',
        ...(codec === 'opus'
          ? ['module opus.so', 'opus_stereo no', 'opus_sprop_stereo no', 'opus_inbandfec yes']
          : ['module g711.so']),
        'module aufile.so',
        'module aubridge.so',
        'module sndfile.so',
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
        `snd_path ${this.dir}`,
        'net_interface 127.0.0.1',
        '',
      ].join('\n'),
    );
    const transport = this.options.transport ?? 'udp';
    writeFileSync(
      join(this.dir, 'accounts'),
      `<sip:${this.options.user ?? this.options.name}@127.0.0.1;transport=${transport}>;regint=0;audio_codecs=${codec === 'opus' ? 'opus' : `${codec},${codec === 'PCMU' ? 'PCMA' : 'PCMU'}`};answermode=${this.options.answerMode ?? 'manual'}\n`,
    );
    writeFileSync(join(this.dir, 'contacts'), '');
    const child = spawn('baresip', ['-f', this.dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process = child;
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    // ctrl_tcp listens once the modules are loaded.
    for (let attempt = 0; ; attempt++) {
      try {
        this.control = await new Promise<Socket>((resolve, reject) => {
          const socket = connect(controlPort, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        });
        break;
      } catch (error) {
        if (attempt > 50 || child.exitCode !== null)
          throw new Error(`baresip did not start: ${String(error)}\n${this.output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.control.on('data', (data) => this.onControl(data.toString('utf8')));
  }

  command(command: string, params = ''): void {
    const json = JSON.stringify({ command, params, token: command });
    this.control?.write(`${Buffer.byteLength(json)}:${json},`);
  }

  dial(uri: string): void {
    this.command('dial', uri);
  }

  /** DTMF, one key at a time, spaced like a person pressing them (RFC 4733 events). */
  async sendKeys(keys: string, gapMs = 250): Promise<void> {
    for (const key of keys) {
      this.command('sndcode', key);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }

  hangUp(): void {
    this.command('hangup');
  }

  async waitForEvent(type: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some((e) => e.type === type)) {
      if (Date.now() > deadline)
        throw new Error(
          `${this.options.name}: no ${type} in ${timeoutMs} ms; events ${JSON.stringify(this.events.map((e) => e.type))}\n${this.output.slice(-3000)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Samples of what the phone heard so far (16-bit; 8 kHz for G.711), from its decoder dump. */
  heard(): Int16Array {
    return this.heardWithRate().samples;
  }

  /**
   * What the phone heard so far and at what rate (the dump is at the decoder's rate and channels:
   * 48 kHz for Opus, possibly stereo, whose first channel is kept).
   */
  heardWithRate(): { samples: Int16Array; rate: number } {
    const file = readdirSync(this.dir).find((f) => f.startsWith('dump-') && f.endsWith('-dec.wav'));
    if (!file) return { samples: new Int16Array(0), rate: 8000 };
    const data = readFileSync(join(this.dir, file));
    const channels = data.length >= 44 ? data.readUInt16LE(22) || 1 : 1;
    const rate = data.length >= 44 ? data.readUInt32LE(24) || 8000 : 8000;
    const body = data.subarray(44, 44 + ((data.length - 44) & ~(2 * channels - 1)));
    const all = new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
    if (channels === 1) return { samples: all, rate };
    const samples = new Int16Array(Math.floor(all.length / channels));
    for (let i = 0; i < samples.length; i++) samples[i] = all[i * channels]!;
    return { samples, rate };
  }

  async stop(): Promise<void> {
    this.control?.destroy();
    const child = this.process;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([
        new Promise((r) => child.once('exit', r)),
        new Promise((r) => setTimeout(r, 3000)),
      ]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private onControl(text: string): void {
    this.buffer += text;
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.slice(0, colon));
      if (!Number.isInteger(length) || this.buffer.length < colon + 1 + length + 1) return;
      const json = this.buffer.slice(colon + 1, colon + 1 + length);
      this.buffer = this.buffer.slice(colon + 2 + length);
      try {
        const message = JSON.parse(json) as { event?: boolean; type?: string };
        if (message.event && message.type) this.events.push(message as { type: string });
      } catch {
        // Not JSON: ignore.
      }
    }
  }
}

/** A 16-bit mono WAV (8 kHz unless said) of a sine at `hz`, for the phone's microphone. */
export function sineWav(hz: number, seconds: number, amplitude = 12000, rate = 8000): Buffer {
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Power of `hz` in `samples` (Goertzel; at `rate`, 8 kHz unless said), as a fraction of the signal's total power (0..1). */
export function toneShare(samples: Int16Array, hz: number, rate = 8000): number {
  if (samples.length === 0) return 0;
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const x of samples) {
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  if (total === 0) return 0;
  // A pure tone of N samples has Goertzel power N²A²/4 and total N·A²/2: the ratio is N/2.
  return power / total / (samples.length / 2);
}

/** Root mean square of the samples. */
export function rms(samples: Int16Array): number {
  let sum = 0;
  for (const x of samples) sum += x * x;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}
