import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import sip, { type SipMessage, type TransactionConnection, type TransactionLayer } from 'sip';
import type { Logger } from '../logger.ts';
import type { SipConfig } from './sipConfig.ts';
import { SourcePolicy } from './SourcePolicy.ts';

/** Where a message came from, and how to answer on the same path. */
export interface SipFlow {
  protocol: 'UDP' | 'TCP';
  address: string;
  port: number;
  send(message: SipMessage): void;
}

/** A request that passed the allow-list and the checks, with its server transaction. */
export interface IncomingRequest {
  request: SipMessage;
  flow: SipFlow;
  /** Answers through the transaction (retransmissions and absorbed duplicates are its job). */
  respond(status: number, reason: string, extra?: ResponseExtra): void;
}

export interface ResponseExtra {
  headers?: Record<string, unknown>;
  content?: string;
  /** The to-tag of the dialog this response makes or belongs to. */
  toTag?: string;
}

/** What the endpoint counts; read by tests and logs. */
export interface SipEndpointCounters {
  malformed: number;
  refusedSources: number;
  silencedSources: number;
  floodRefused: number;
}

const MAX_DATAGRAM = 16_384;
const MAX_TCP_CONNECTIONS_PER_ADDRESS = 8;

/**
 * Parley's SIP socket(s): UDP and TCP on the configured address. The `sip` package parses and
 * serialises messages and runs the RFC 3261 transactions; the sockets are Parley's own, so the
 * allow-list is applied before a byte is parsed, bind errors reach the caller, and nothing about
 * a refused source is kept beyond a counter. Requests that pass go to `onRequest`; ACKs for 2xx
 * (which have no transaction) too.
 */
export class SipEndpoint {
  readonly counters: SipEndpointCounters = {
    malformed: 0,
    refusedSources: 0,
    silencedSources: 0,
    floodRefused: 0,
  };
  readonly policy: SourcePolicy;
  private udp: UdpSocket | undefined;
  private tcp: TcpServer | undefined;
  private readonly tcpConnections = new Map<string, TcpSocket>();
  private readonly transactions: TransactionLayer;
  private closed = false;

  private constructor(
    private readonly config: SipConfig,
    private readonly logger: Logger,
    private readonly onRequest: (incoming: IncomingRequest) => void,
  ) {
    this.policy = new SourcePolicy(config.allowedSources, config);
    // The transaction layer opens connections through this; Parley answers on the flow a request came in.
    this.transactions = sip.makeTransactionLayer({}, (target) => this.connectionTo(target as SipFlow));
  }

  static async start(
    config: SipConfig,
    logger: Logger,
    onRequest: (incoming: IncomingRequest) => void,
  ): Promise<SipEndpoint> {
    const endpoint = new SipEndpoint(config, logger, onRequest);
    try {
      if (config.udpPort !== null) await endpoint.listenUdp(config.udpPort);
      if (config.tcpPort !== null) await endpoint.listenTcp(config.tcpPort);
    } catch (error) {
      endpoint.close();
      throw error;
    }
    return endpoint;
  }

  /** Sends a request of Parley's (a BYE) on `flow`; `onFinal` gets the final response or a timeout. */
  sendRequest(flow: SipFlow, request: SipMessage, onFinal?: (response: SipMessage) => void): void {
    this.sendClientRequest(flow, request, (response) => {
      if ((response.status ?? 0) >= 200) onFinal?.(response);
    });
  }

  /**
   * Sends a request of Parley's in a client transaction (the `sip` package's: retransmissions, the
   * ACK of a failure, a 408 on timeout). Every response reaches `onResponse`: provisional ones,
   * the final one, and repeats of a 2xx to an INVITE (each needs its ACK again). `keepVia` sends the
   * request with the Via it has (a CANCEL names its INVITE's branch).
   */
  sendClientRequest(
    flow: SipFlow,
    request: SipMessage,
    onResponse: (response: SipMessage) => void,
    keepVia = false,
  ): void {
    if (this.closed) return;
    if (!keepVia) request.headers.via = [this.ownVia(flow)];
    this.transactions.createClientTransaction(this.connectionTo(flow), request, onResponse);
  }

  /** Sends a request with no transaction: the ACK of a 2xx (RFC 3261 §13.2.2.4), with a Via of its own. */
  sendStateless(flow: SipFlow, request: SipMessage): void {
    if (this.closed) return;
    request.headers.via = [{ ...this.ownVia(flow), params: { branch: sip.generateBranch() } }];
    flow.send(request);
  }

  /** A flow to `address:port` over this endpoint's UDP socket (Parley calling the trunk); null without UDP. */
  udpFlowTo(address: string, port: number): SipFlow | null {
    const socket = this.udp;
    if (!socket) return null;
    return {
      protocol: 'UDP',
      address,
      port,
      send: (m) => {
        if (!this.closed) socket.send(Buffer.from(sip.stringify(m), 'binary'), port, address);
      },
    };
  }

  private ownVia(flow: SipFlow): NonNullable<SipMessage['headers']['via']>[number] {
    return {
      version: '2.0',
      protocol: flow.protocol,
      host: this.config.publicAddress,
      port: flow.protocol === 'UDP' ? (this.config.udpPort ?? undefined) : (this.config.tcpPort ?? undefined),
      params: {},
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transactions.destroy();
    this.udp?.close();
    this.tcp?.close();
    for (const socket of this.tcpConnections.values()) socket.destroy();
    this.tcpConnections.clear();
  }

  private connectionTo(flow: SipFlow): TransactionConnection {
    return { send: (m) => flow.send(m), release: () => undefined, protocol: flow.protocol };
  }

  private listenUdp(port: number): Promise<void> {
    const socket = createSocket('udp4');
    this.udp = socket;
    socket.on('message', (data, remote) => {
      if (data.length > MAX_DATAGRAM) return void this.counters.malformed++;
      this.onBytes(data, {
        protocol: 'UDP',
        address: remote.address,
        port: remote.port,
        send: (m) => {
          const text = Buffer.from(sip.stringify(m), 'binary');
          if (!this.closed) socket.send(text, remote.port, remote.address);
        },
      });
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.config.listenAddress, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.logger.warn({ err }, 'SIP UDP socket error'));
        resolve();
      });
    });
  }

  private listenTcp(port: number): Promise<void> {
    const server = createServer((socket) => this.onTcpConnection(socket));
    this.tcp = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.listenAddress, () => {
        server.off('error', reject);
        server.on('error', (err) => this.logger.warn({ err }, 'SIP TCP server error'));
        resolve();
      });
    });
  }

  private onTcpConnection(socket: TcpSocket): void {
    const address = socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    const port = socket.remotePort ?? 0;
    socket.on('error', () => socket.destroy());
    const fromThere = [...this.tcpConnections.keys()].filter((k) => k.startsWith(`${address}:`)).length;
    // Unknown sources get their 403 (rate-limited) on the first message; too many connections none.
    if (fromThere >= MAX_TCP_CONNECTIONS_PER_ADDRESS) return void socket.destroy();
    const key = `${address}:${port}`;
    this.tcpConnections.set(key, socket);
    socket.on('close', () => this.tcpConnections.delete(key));
    socket.setTimeout(5 * 60_000, () => socket.destroy());
    const flow: SipFlow = {
      protocol: 'TCP',
      address,
      port,
      send: (m) => {
        if (!socket.destroyed) socket.write(Buffer.from(sip.stringify(m), 'binary'));
      },
    };
    const parse = sip.makeStreamParser(
      (message) => this.onMessage(message, flow),
      () => {
        this.counters.malformed++;
        socket.destroy();
      },
      16_384,
      16_384,
    );
    socket.on('data', (data) => {
      try {
        parse(data.toString('binary'));
      } catch {
        this.counters.malformed++;
        socket.destroy();
      }
    });
  }

  private onBytes(data: Buffer, flow: SipFlow): void {
    if (!this.policy.isAllowed(flow.address)) {
      // Parsed only to say 403, and only a few times a minute per address.
      this.counters.refusedSources++;
      if (!this.policy.mayAnswerRefusal(flow.address, Date.now())) {
        this.counters.silencedSources++;
        return;
      }
    }
    let message: SipMessage | undefined;
    try {
      message = sip.parse(data);
    } catch {
      message = undefined;
    }
    if (!message) return void this.counters.malformed++;
    this.onMessage(message, flow);
  }

  private onMessage(message: SipMessage, flow: SipFlow): void {
    if (this.closed) return;
    if (flow.protocol === 'TCP' && !this.policy.isAllowed(flow.address)) {
      this.counters.refusedSources++;
      if (!this.policy.mayAnswerRefusal(flow.address, Date.now())) {
        this.counters.silencedSources++;
        return;
      }
    }
    const problem = checkMessage(message);
    if (problem) {
      this.counters.malformed++;
      // A request whose Via can carry an answer is told why; anything else is dropped.
      if (message.method && message.method !== 'ACK' && hasUsableVia(message))
        this.statelessResponse(message, flow, 400, `Bad Request (${problem})`);
      return;
    }
    const via = message.headers.via![0]!;
    if (message.method) {
      via.params.received = flow.address;
      if (Object.hasOwn(via.params, 'rport')) via.params.rport = flow.port;
    }
    if (!this.policy.isAllowed(flow.address)) {
      if (message.method && message.method !== 'ACK') this.statelessResponse(message, flow, 403, 'Forbidden');
      return;
    }
    if (!message.method) {
      this.transactions.getClient(message)?.message?.(message);
      return;
    }
    const existing = this.transactions.getServer(message);
    if (existing) {
      existing.message?.(message);
      return;
    }
    if (message.method === 'ACK') {
      this.dispatch({ request: message, flow, respond: () => undefined });
      return;
    }
    // A new call past the source's calls a minute (an INVITE flood): a few 503s a minute, then
    // silence — and neither keeps a transaction. A server transaction made for an INVITE that is
    // never answered stays in 'proceeding' for good (no timer ends it): the flood benchmark saw
    // 3.5 KB of heap kept per silenced INVITE before this check moved here from the gateway.
    if (
      message.method === 'INVITE' &&
      !hasToTag(message) &&
      !this.policy.mayStartCall(flow.address, Date.now())
    ) {
      this.counters.floodRefused++;
      if (this.policy.mayAnswerRefusal(flow.address, Date.now()))
        this.statelessResponse(message, flow, 503, 'Service Unavailable', { 'retry-after': 60 });
      return;
    }
    const transaction = this.transactions.createServerTransaction(message, this.connectionTo(flow));
    this.dispatch({
      request: message,
      flow,
      respond: (status, reason, extra) => transaction.send(buildResponse(message, status, reason, extra)),
    });
  }

  /** A response with no transaction kept: for refusals that must cost nothing to give. */
  private statelessResponse(
    request: SipMessage,
    flow: SipFlow,
    status: number,
    reason: string,
    headers: Record<string, string | number> = {},
  ): void {
    try {
      flow.send(buildResponse(request, status, reason, { toTag: 'refused', headers }));
    } catch {
      // A request too broken to answer is just dropped.
    }
  }

  private dispatch(incoming: IncomingRequest): void {
    try {
      this.onRequest(incoming);
    } catch (err) {
      this.logger.error({ err, method: incoming.request.method }, 'SIP request handler failed');
      if (incoming.request.method !== 'ACK') incoming.respond(500, 'Server Internal Error');
    }
  }
}

/** The response to `request`, with its own To (the library's shares the request's object). */
export function buildResponse(
  request: SipMessage,
  status: number,
  reason: string,
  extra: ResponseExtra = {},
): SipMessage {
  const response = sip.makeResponse(request, status, reason, {
    headers: { ...(extra.headers ?? {}) },
    content: extra.content ?? '',
  });
  const to = request.headers.to!;
  response.headers.to = {
    ...to,
    params: { ...to.params, ...(extra.toTag && !to.params.tag ? { tag: extra.toTag } : {}) },
  };
  response.headers['content-length'] = Buffer.byteLength(extra.content ?? '', 'binary');
  return response;
}

function hasUsableVia(message: SipMessage): boolean {
  const via = message.headers.via;
  return Array.isArray(via) && via.length > 0 && typeof via[0]?.host === 'string';
}

/** Why a parsed message cannot be handled, or null: the headers RFC 3261 §8.1.1 requires. */
function checkMessage(m: SipMessage): string | null {
  if (!m.method && !(typeof m.status === 'number' && m.status >= 100 && m.status <= 699)) return 'start line';
  if (m.method && !/^[A-Z]{2,20}$/.test(m.method)) return 'method';
  if (m.version !== '2.0') return 'version';
  const h = m.headers;
  if (!hasUsableVia(m)) return 'Via';
  if (typeof h['call-id'] !== 'string' || h['call-id'].length === 0 || h['call-id'].length > 256)
    return 'Call-ID';
  if (!h.from?.uri || !h.to?.uri) return 'From/To';
  const cseq = h.cseq;
  if (!cseq || !Number.isInteger(cseq.seq) || cseq.seq < 0 || cseq.seq > 2 ** 31 - 1) return 'CSeq';
  if (m.method && cseq.method !== m.method && !(m.method === 'ACK' && cseq.method === 'ACK'))
    return 'CSeq method';
  const length = h['content-length'];
  if (length !== undefined && (!Number.isInteger(length) || length < 0 || length > 16_384))
    return 'Content-Length';
  if (m.method && (!m.uri || !/^sips?:/i.test(m.uri))) return 'Request-URI';
  return null;
}

/** Whether a request belongs to a dialog already (its To has a tag): not a new call. */
function hasToTag(request: SipMessage): boolean {
  const tag = request.headers.to?.params.tag;
  return tag !== undefined && tag !== null;
}
