import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { AppContext } from './AppContext.ts';
import { createApp } from './app.ts';
import { admitCallTicket, disconnectRevokedCallSockets } from './auth/callSessionGuard.ts';
import { userSessionsFor } from './auth/UserSessions.ts';
import { CallAccessRepository } from './calls/CallAccessRepository.ts';
import { CallSignaling } from './calls/callSignaling.ts';
import { ClusterNode } from './cluster/ClusterNode.ts';
import type { MediaConfig } from './config.ts';
import { createMediaEngine } from './media/createMediaEngine.ts';
import type { MediaEngine } from './media/index.ts';
import { PhoneGateway } from './phone/PhoneGateway.ts';
import { clusterPlacement } from './phone/phonePlacement.ts';
import { startNoShowJob } from './scheduling/noShowJob.ts';
import { facilityConfirmationsFor } from './confirmation/confirmationRoutes.ts';
import { startConfirmationReminderJob } from './confirmation/reminderJob.ts';
import { sessionLogFor } from './sessionLog/sessionLogFor.ts';
import type { SessionLogWriter } from './sessionLog/SessionLogWriter.ts';

export interface RunningServer {
  httpServer: Server;
  url: string;
  engine: MediaEngine;
  signaling: CallSignaling;
  sessionLog: SessionLogWriter;
  /** Phone legs over SIP (server/src/phone); undefined unless SIP_* settings turn SIP on. */
  phone: PhoneGateway | undefined;
  /** This node's part in a cluster (REDIS_URL set); undefined when one process holds every call. */
  cluster: ClusterNode | undefined;
  /**
   * With REDIS_URL: takes no new calls and waits (at most DRAIN_TIMEOUT_MS) for this node's calls
   * to end; call `close()` after it. Without: nothing to wait for (one process; calls resume when
   * it is back), so it returns at once.
   */
  drain(): Promise<void>;
  /** Ends live calls, stops accepting connections and writes the last session events. Idempotent. */
  close(): Promise<void>;
}

/**
 * Where the SFU gathers ICE candidates: the configured addresses, or every IPv4 interface plus
 * loopback, so that browsers on the same machine (a one-laptop demo, the tests) and on the network
 * can both reach it.
 */
export function mediaListenAddresses(media: MediaConfig): string[] {
  if (media.listenAddresses) return media.listenAddresses;
  const addresses = new Set<string>(['127.0.0.1']);
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? [])
      if (entry.family === 'IPv4' && !entry.internal) addresses.add(entry.address);
  }
  return [...addresses];
}

/**
 * Starts the HTTP server: REST API, the built client, the call's signalling socket and the media
 * engine. Port 0 picks a free one, as integration tests do.
 */
export async function startServer(baseCtx: AppContext): Promise<RunningServer> {
  // Several nodes: shared state in Redis, the socket.io adapter and the room registry.
  const cluster = baseCtx.config.cluster.redisUrl
    ? await ClusterNode.connect(baseCtx.config, baseCtx.logger)
    : undefined;
  const ctx: AppContext = cluster
    ? { ...baseCtx, shared: cluster.shared, ready: () => cluster.isReady }
    : baseCtx;
  const app = createApp(ctx);
  const httpServer = createServer(app);
  const engine = await createMediaEngine(
    ctx.config.media,
    mediaListenAddresses(ctx.config.media),
    ctx.logger,
  );
  // The one session log of this database: its writer also triggers the case-note webhook on CALL_ENDED.
  const log = sessionLogFor(ctx);
  const sessionLog = log.writer;
  const sessions = userSessionsFor(ctx);
  const signaling = new CallSignaling(httpServer, {
    config: ctx.config,
    logger: ctx.logger,
    engine,
    calls: new CallAccessRepository(ctx.db),
    log: sessionLog,
    admit: (claims) => admitCallTicket(sessions, claims),
    ...(cluster
      ? {
          shared: cluster.shared,
          adapter: cluster.adapter,
          onCallEnded: (consultationId: string) => cluster.callEnded(consultationId),
        }
      : ctx.shared
        ? { shared: ctx.shared }
        : {}),
  });
  // Deactivation and other revocations close the person's open call sockets at once.
  const stopDisconnecting = disconnectRevokedCallSockets(sessions, signaling.io);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(ctx.config.port, ctx.config.host, () => resolve());
  });
  // Past calls the client never joined turn NO_SHOW here, not when someone reads them.
  const stopNoShows = startNoShowJob(ctx.db, ctx.logger.child({ component: 'no-show-job' }));
  // Phone legs: only when SIP is configured; `npm start` without SIP_* opens no SIP socket.
  const sip = ctx.config.sip;
  const phone = sip
    ? await PhoneGateway.start({
        config: sip,
        logger: ctx.logger,
        db: ctx.db,
        calls: new CallAccessRepository(ctx.db),
        seatPhone: (consultation, seat) => signaling.seatPhone(consultation, seat),
        engineName: engine.backendName,
        log: sessionLog,
        ...(cluster ? { placement: clusterPlacement(cluster, (id) => signaling.liveCalls.has(id)) } : {}),
      })
    : undefined;
  // Unanswered facility confirmation requests are mailed again.
  const stopReminders = startConfirmationReminderJob(
    facilityConfirmationsFor(ctx),
    ctx.logger.child({ component: 'confirmation-reminders' }),
  );
  const { port } = httpServer.address() as AddressInfo;
  const host = ctx.config.host === '0.0.0.0' ? 'localhost' : ctx.config.host;
  const url = `http://${host}:${port}`;
  await cluster?.start(signaling, url, sessions);
  let closing: Promise<void> | undefined;
  return {
    httpServer,
    url,
    engine,
    signaling,
    sessionLog,
    phone,
    cluster,
    async drain() {
      await cluster?.drain(ctx.config.cluster.drainTimeoutMs);
    },
    close() {
      closing ??= (async () => {
        stopDisconnecting();
        await stopNoShows();
        await stopReminders();
        phone?.close();
        await signaling.close();
        engine.close();
        await engine.settled();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await log.close();
        await cluster?.close();
      })();
      return closing;
    },
  };
}
