import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from './AppContext.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  httpServer: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server (REST, client, and later the signalling socket) on the configured port;
 * port 0 picks a free one, as integration tests do.
 */
export async function startServer(ctx: AppContext): Promise<RunningServer> {
  const app = createApp(ctx);
  const httpServer = createServer(app);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(ctx.config.port, ctx.config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = ctx.config.host === '0.0.0.0' ? 'localhost' : ctx.config.host;
  let closing: Promise<void> | undefined;
  return {
    httpServer,
    url: `http://${host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      return closing;
    },
  };
}
