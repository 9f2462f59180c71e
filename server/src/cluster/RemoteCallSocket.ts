import type { Namespace } from 'socket.io';

type Listener = (...args: unknown[]) => void;

/**
 * The owner node's stand-in for a browser socket connected to another node. The call's signalling
 * attaches to it exactly as to a local socket, so every message is checked by the same code (role,
 * organisation, consultation). What it sends reaches the real socket through socket.io's adapter,
 * addressed by the socket's id, which is a room on the node that holds it.
 */
export class RemoteCallSocket {
  readonly data: Record<string, unknown> = {};
  disconnected = false;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(
    /** The real socket's id. */
    readonly id: string,
    /** The node the real socket is connected to. */
    readonly entryNodeId: string,
    private readonly nsp: Namespace,
  ) {}

  get connected(): boolean {
    return !this.disconnected;
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  /** A message of the browser, relayed by its node; `ack` sends the answer back. */
  dispatch(event: string, args: unknown[], ack: ((result: unknown) => void) | undefined): void {
    if (this.disconnected || event === 'disconnect') return;
    for (const listener of this.listeners.get(event) ?? []) listener(...args, ...(ack ? [ack] : []));
  }

  emit(event: string, ...args: unknown[]): boolean {
    if (this.disconnected) return false;
    this.nsp.to(this.id).emit(event, ...args);
    return true;
  }

  /** Puts the real socket in `room`: the call's broadcasts from this node then reach it. */
  join(room: string | string[]): void {
    this.nsp.in(this.id).socketsJoin(room);
  }

  leave(room: string): void {
    this.nsp.in(this.id).socketsLeave(room);
  }

  /** Closes the real socket (its node then tells this one, which ends this stand-in). */
  disconnect(close = false): this {
    this.nsp.in(this.id).disconnectSockets(close);
    this.closed('server namespace disconnect');
    return this;
  }

  /** The real socket is gone: the call's disconnect handling runs as for a local socket. */
  closed(reason: string): void {
    if (this.disconnected) return;
    this.disconnected = true;
    for (const listener of this.listeners.get('disconnect') ?? []) listener(reason);
  }
}
