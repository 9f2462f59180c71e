import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postWebhook, systemResolveHost, type ResolveHost } from './webhookTransport.ts';
import type { WebhookUrlPolicy } from './webhookUrlPolicy.ts';

/**
 * The transport against real sockets on 127.0.0.1. `cms.parley.test` exists in no DNS (.test is
 * reserved): a connection that reaches the receiver through it can only have used the address
 * the check approved.
 */
const NAME = 'cms.parley.test';
const toLoopback: ResolveHost = (hostname) =>
  hostname === NAME
    ? Promise.resolve([{ address: '127.0.0.1', family: 4 }])
    : Promise.reject(new Error('ENOTFOUND'));
const LOCAL: WebhookUrlPolicy = { allowHttp: true, allowPrivateNetworks: true };
const PUBLIC_ONLY: WebhookUrlPolicy = { allowHttp: true, allowPrivateNetworks: false };

const requests: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let status = 200;
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = status;
      if (status === 302) res.setHeader('Location', `http://127.0.0.1:${port}/elsewhere`);
      res.end('x'.repeat(100_000));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
  status = 200;
});

const BODY = '{"event":"consultation.case_note","note":"é"}';
const post = (url: string, policy: WebhookUrlPolicy, resolveHost: ResolveHost = toLoopback) =>
  postWebhook(url, {
    headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' },
    body: BODY,
    policy,
    timeoutMs: 5_000,
    resolveHost,
  });

describe('postWebhook over real sockets', () => {
  it('connects to the vetted address while the Host header keeps the name', async () => {
    const result = await post(`http://${NAME}:${port}/parley/notes`, LOCAL);
    expect(result).toEqual({ kind: 'answered', statusCode: 200 });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/parley/notes',
      body: BODY,
      headers: {
        host: `${NAME}:${port}`,
        'x-test': 'yes',
        'content-length': String(Buffer.byteLength(BODY)),
      },
    });
  });

  it('sends nothing when the name resolves inside and private networks are not allowed', async () => {
    const result = await post(`http://${NAME}:${port}/parley/notes`, PUBLIC_ONLY);
    expect(result).toMatchObject({
      kind: 'refused',
      error: `ADDRESS_NOT_ALLOWED: ${NAME} resolves to a loopback address`,
    });
    expect(requests).toHaveLength(0);
  });

  it('refuses `localhost` as the system resolver answers it', async () => {
    const result = await post(`http://localhost:${port}/parley/notes`, PUBLIC_ONLY, systemResolveHost);
    expect(result).toMatchObject({
      kind: 'refused',
      error: 'ADDRESS_NOT_ALLOWED: localhost resolves to a loopback address',
    });
    expect(requests).toHaveLength(0);
  });

  it('does not follow a redirect', async () => {
    status = 302;
    expect(await post(`http://${NAME}:${port}/parley/notes`, LOCAL)).toEqual({
      kind: 'answered',
      statusCode: 302,
    });
    expect(requests.map((r) => r.url)).toEqual(['/parley/notes']);
  });

  it('over https, names the host in TLS SNI while connecting to the vetted address', async () => {
    // A bare TCP listener: the ClientHello (SNI is in clear) is all this test needs to see.
    const tcp = createTcpServer();
    const hello = new Promise<Buffer>((resolve) =>
      tcp.on('connection', (socket) =>
        socket.once('data', (chunk: Buffer) => {
          resolve(chunk);
          socket.destroy();
        }),
      ),
    );
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const result = post(`https://${NAME}:${(tcp.address() as AddressInfo).port}/notes`, LOCAL);
    expect((await hello).includes(Buffer.from(NAME))).toBe(true);
    expect(await result).toEqual({ kind: 'failed', error: 'CONNECTION_FAILED' });
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
  });
});
