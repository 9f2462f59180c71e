import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

/** A bare SIP peer on a loopback address: sends text, keeps every message it gets. */
export class RawPeer {
  readonly received: string[] = [];
  private constructor(
    readonly socket: Socket,
    readonly address: string,
    readonly target: number,
  ) {
    socket.on('message', (m) => this.received.push(m.toString('latin1')));
  }
  /** A peer on `address` that talks to Parley's SIP port `target` on 127.0.0.1. */
  static async open(target: number, address: string): Promise<RawPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, address, r));
    return new RawPeer(socket, address, target);
  }
  /** The Request-URI this peer calls. */
  get uri(): string {
    return `sip:parley@127.0.0.1:${this.target}`;
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(lines: string[], body = ''): void {
    const text = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
    this.socket.send(Buffer.from(text, 'latin1'), this.target, '127.0.0.1');
  }
  request(
    method: string,
    callId: string,
    opts: {
      cseq?: number;
      toTag?: string;
      fromTag?: string;
      from?: string;
      extra?: string[];
      body?: string;
    } = {},
  ) {
    this.send(
      [
        `${method} ${this.uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${this.address}:${this.port};branch=z9hG4bK${randomUUID().slice(0, 12)};rport`,
        `From: <sip:${opts.from ?? '+16015550123'}@${this.address}>;tag=${opts.fromTag ?? 'caller'}`,
        `To: <sip:parley@127.0.0.1>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
        `Call-ID: ${callId}`,
        `CSeq: ${opts.cseq ?? 1} ${method}`,
        `Contact: <sip:caller@${this.address}:${this.port}>`,
        'Max-Forwards: 70',
        ...(opts.extra ?? []),
      ],
      opts.body ?? '',
    );
  }
  invite(callId: string, extra: string[] = [], from?: string, cseq = 1): void {
    const sdp = [
      'v=0',
      `o=- 1 1 IN IP4 ${this.address}`,
      's=-',
      `c=IN IP4 ${this.address}`,
      't=0 0',
      `m=audio ${this.port + 2} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      '',
    ].join('\r\n');
    this.request('INVITE', callId, {
      cseq,
      extra: ['Content-Type: application/sdp', ...extra],
      body: sdp,
      ...(from ? { from } : {}),
    });
  }
  statuses(callId: string): number[] {
    return this.received
      .filter((m) => m.startsWith('SIP/2.0') && m.includes(`Call-ID: ${callId}`))
      .map((m) => Number(m.slice(8, 11)));
  }
  /** The To tag of Parley's 200 OK to `callId`'s INVITE, once it came. */
  toTagOf(callId: string): string | undefined {
    const ok = this.received.find(
      (m) => m.startsWith('SIP/2.0 200') && m.includes(`Call-ID: ${callId}`) && /^CSeq: \d+ INVITE/m.test(m),
    );
    return ok ? /^To:.*;tag=([^;\r\n]+)/m.exec(ok)?.[1] : undefined;
  }
  /** The nonce of Parley's last 401 to `callId`. */
  nonceOf(callId: string): string | undefined {
    const challenges = this.received.filter(
      (m) => m.startsWith('SIP/2.0 401') && m.includes(`Call-ID: ${callId}`),
    );
    return /nonce="([^"]+)"/.exec(challenges.at(-1) ?? '')?.[1];
  }
  /** Presses `keys` by SIP INFO in `callId`'s dialog, CSeq from `firstCseq` on. */
  async keyByInfo(callId: string, toTag: string, keys: string, firstCseq = 2): Promise<void> {
    let cseq = firstCseq;
    for (const key of keys) {
      this.request('INFO', callId, {
        cseq: cseq++,
        toTag,
        extra: ['Content-Type: application/dtmf-relay'],
        body: `Signal=${key}\r\nDuration=160\r\n`,
      });
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Whether Parley sent a BYE in `callId`. */
  byeIn(callId: string): boolean {
    return this.received.some((m) => m.startsWith('BYE ') && m.includes(`Call-ID: ${callId}`));
  }
  /** Requests Parley sent this peer (as a trunk would get them), oldest first. */
  requests(method: string): string[] {
    return this.received.filter((m) => m.startsWith(`${method} `));
  }
  /** Answers a request Parley sent (`request` as received), copying what a response must copy. */
  respond(request: string, status: number, reason: string, extra: string[] = [], toTag = 'trunk'): void {
    const header = (name: string) =>
      request
        .split('\r\n')
        .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
        .map((l) => l);
    const to = header('To')[0] ?? 'To: <sip:unknown@127.0.0.1>';
    this.send([
      `SIP/2.0 ${status} ${reason}`,
      ...header('Via'),
      header('From')[0]!,
      /;tag=/.test(to) || status < 200 ? to : `${to};tag=${toTag}`,
      header('Call-ID')[0]!,
      header('CSeq')[0]!,
      ...extra,
    ]);
  }
  close(): void {
    this.socket.close();
  }
}
