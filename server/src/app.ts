import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { ATTESTATION_KEYS_PATH } from '@parley/shared';
import type { AppContext } from './AppContext.ts';
import { authenticate, requireAuth } from './auth/authMiddleware.ts';
import { authRoutes } from './auth/authRoutes.ts';
import { accountLockRoutes } from './auth/accountLockRoutes.ts';
import { CallAccessRepository } from './calls/CallAccessRepository.ts';
import { callRoutes } from './calls/callRoutes.ts';
import { kioskAdminRoutes } from './kiosk/kioskAdminRoutes.ts';
import { kioskRoutes } from './kiosk/kioskRoutes.ts';
import { phoneRoutes } from './phone/phoneRoutes.ts';
import { caseRoutes } from './cases/caseRoutes.ts';
import { clientRoutes } from './clients/clientRoutes.ts';
import { facilityRoutes } from './facilities/facilityRoutes.ts';
import { errorMiddleware, routeNotFound } from './http/errorMiddleware.ts';
import { jsonBody } from './http/jsonBody.ts';
import { availabilityRoutes } from './scheduling/availabilityRoutes.ts';
import { calendarRoutes } from './scheduling/calendarRoutes.ts';
import { consultationRoutes, suggestionRoutes } from './scheduling/schedulingRoutes.ts';
import { furtherInterpreterRoutes } from './scheduling/furtherInterpreterRoutes.ts';
import { facilityConfirmationRoutes } from './confirmation/confirmationRoutes.ts';
import { caseNoteRoutes, exportRoutes } from './exports/exportRoutes.ts';
import { sessionLogFor } from './sessionLog/sessionLogFor.ts';
import { sessionLogRoutes } from './sessionLog/sessionLogRoutes.ts';
import { attestationKeyOf } from './sessionLog/attestationKey.ts';
import { webhookRoutes } from './webhooks/webhookRoutes.ts';
import { accountRoutes, userRoutes } from './users/userRoutes.ts';
import { auditRoutes } from './admin/auditRoutes.ts';

/** Largest JSON body any route accepts; bigger bodies get PAYLOAD_TOO_LARGE. */
export const MAX_JSON_BODY = '100kb';

/** The Express application: REST API under /api, the built client everywhere else. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Which proxies' X-Forwarded-For to believe (TRUST_PROXY): rate limits count per client address.
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Media flows over WebRTC (UDP); the signalling socket is same-origin.
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'media-src': ["'self'", 'blob:', 'mediastream:'],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: ctx.config.isProduction,
    }),
  );

  // The public keys call attestations are signed with (JWKS): anyone may verify a call record.
  app.get(ATTESTATION_KEYS_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(attestationKeyOf(ctx.config).jwks);
  });

  const api = express.Router();
  api.use(jsonBody(MAX_JSON_BODY));
  api.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  // For load balancers: 503 while this node drains (SIGTERM) or cannot reach Redis.
  api.get('/ready', (_req, res) => {
    const ready = ctx.ready?.() ?? true;
    res.status(ready ? 200 : 503).json({ ok: ready });
  });
  // Every bearer access token is checked against its user's current session (revocation at once).
  api.use(authenticate(ctx));
  api.use('/auth', authRoutes(ctx));
  api.use('/account', accountRoutes(ctx));
  const authenticated = requireAuth(ctx.config.jwtSecret);
  api.use('/users', authenticated, userRoutes(ctx));
  api.use('/admin', authenticated, auditRoutes(ctx));
  api.use('/facilities', authenticated, facilityRoutes(ctx));
  api.use('/clients', authenticated, clientRoutes(ctx));
  api.use('/cases', authenticated, caseRoutes(ctx));
  api.use('/consultations', authenticated, consultationRoutes(ctx));
  // The facility's contact answers through a signed link, without an account.
  api.use('/facility-confirmations', facilityConfirmationRoutes(ctx));
  api.use('/consultations', authenticated, sessionLogRoutes(ctx));
  api.use('/consultations', authenticated, caseNoteRoutes(ctx));
  api.use('/exports', authenticated, exportRoutes(ctx));
  api.use('/webhooks', authenticated, webhookRoutes(ctx));
  api.use('/users', authenticated, accountLockRoutes(ctx));
  // The session log's writer and webhook sender; this also resumes deliveries a restart interrupted.
  sessionLogFor(ctx);
  api.use('/scheduling', authenticated, suggestionRoutes(ctx));
  // Relay interpreters and booth partners of a booking (issue 17).
  const further = furtherInterpreterRoutes(ctx);
  api.use('/consultations', authenticated, further.consultations);
  api.use('/scheduling', authenticated, further.scheduling);
  api.use('/interpreters', authenticated, availabilityRoutes(ctx));
  // The .ics feed is fetched by calendar apps with its secret URL; the rest needs a sign-in.
  api.use('/calendar', calendarRoutes(ctx));
  const callAccess = new CallAccessRepository(ctx.db);
  api.use('/calls', authenticated, callRoutes(ctx, callAccess));
  api.use('/calls', authenticated, phoneRoutes(ctx, callAccess));
  api.use('/kiosk/admin', authenticated, kioskAdminRoutes(ctx));
  api.use('/kiosk', kioskRoutes(ctx, callAccess));
  api.use(routeNotFound);
  api.use(errorMiddleware(ctx.logger.child({ component: 'http' })));
  app.use('/api', api);

  const dist = ctx.config.clientDistDir;
  if (existsSync(resolve(dist, 'index.html'))) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET gets the single-page app.
    app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
      res.sendFile(resolve(dist, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('Parley API is running. Build the client with `npm run build` to serve the app here.');
    });
  }
  return app;
}
