import type { Express } from 'express';

/** One REST route as the app's router stack holds it: `/api/facilities/:id/blackouts`. */
export interface RouteEntry {
  method: string;
  path: string;
  /** Its named parameters, in order (`id`, `childId`, `token`…). */
  params: string[];
}

interface StackLayer {
  /** router 2.x keeps the path a layer was mounted or declared at. */
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

/**
 * Every route of an Express 5 app, read from its router stack (mounted routers included), so a
 * route added tomorrow is in the list without anyone editing a test.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const root = (app as unknown as { router: { stack: StackLayer[] } }).router;
  const routes: RouteEntry[] = [];
  walk(root.stack, '', routes);
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(stack: StackLayer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const path = joinPath(prefix, pathOf(layer.route.path));
      if (path === undefined) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method: method.toUpperCase(), path, params: paramsOf(path) });
      }
    } else if (layer.handle?.stack) {
      const mount = pathOf(layer.rawPath);
      if (mount === undefined) continue;
      walk(layer.handle.stack, joinPath(prefix, mount === '/' ? '' : mount) ?? prefix, out);
    }
  }
}

/** A string path; regular-expression routes (the client's catch-all) are not API routes. */
function pathOf(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw : undefined;
}

function joinPath(prefix: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return `${prefix}${path}`.replace(/\/+/g, '/') || '/';
}

function paramsOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
}
