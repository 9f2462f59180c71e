import type { Redis } from 'ioredis';

/** What a node says about itself at every heartbeat. */
export interface NodeRecord {
  nodeId: string;
  /** Where this node's HTTP server listens (for operators; browsers reach every node at one address). */
  url: string;
  /** The address its media engine announces in ICE candidates (MEDIA_ANNOUNCED_IP), if set. */
  mediaAddress: string | null;
  /** Calls it holds now. */
  load: number;
  /** Draining nodes keep their calls and take no new ones. */
  draining: boolean;
  /** When it said so (ms since epoch). */
  at: number;
}

/**
 * Claims the room (KEYS[1]) for ARGV[1] unless its owner is alive, that is unless the owner's node
 * record (ARGV[2] .. owner) exists. Returns the owner afterwards: the claimant, or the live owner
 * that was there first. The room key expires after ARGV[3] ms unless its owner claims it again
 * (every heartbeat), so rooms of calls that are over do not pile up. (Keys built in Lua: fine on
 * one Redis, not on Redis Cluster.)
 */
const CLAIM_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if owner and redis.call('EXISTS', ARGV[2] .. owner) == 1 then
  if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
  return owner
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return ARGV[1]`;

/** Deletes the room key only while it still names this node (a room moved elsewhere stays there). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The room → node registry in Redis: which node holds which consultation's call, and which nodes
 * are alive (a node record expires three heartbeats after its last one). A room lives on one node;
 * a new room goes to the least-loaded live node that is not draining.
 */
export class NodeRegistry {
  private readonly nodeKeyPrefix: string;
  private readonly nodesKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    private readonly heartbeatMs: number,
  ) {
    this.nodeKeyPrefix = `${prefix}node:`;
    this.nodesKey = `${prefix}nodes`;
  }

  /** How long a node counts as alive after its last heartbeat. */
  get nodeTtlMs(): number {
    return this.heartbeatMs * 3;
  }

  /** How long a room key outlives its owner's last claim (a placed call has this long to start). */
  private get roomTtlMs(): number {
    return Math.max(60_000, this.heartbeatMs * 30);
  }

  private roomKey(consultationId: string): string {
    return `${this.prefix}room:${consultationId}`;
  }

  /** Says this node is alive, with its load; call every `heartbeatMs`. */
  async heartbeat(record: Omit<NodeRecord, 'nodeId' | 'at'>): Promise<void> {
    const full: NodeRecord = { ...record, nodeId: this.nodeId, at: Date.now() };
    await this.redis
      .multi()
      .set(this.nodeKeyPrefix + this.nodeId, JSON.stringify(full), 'PX', this.nodeTtlMs)
      .sadd(this.nodesKey, this.nodeId)
      .exec();
  }

  /** Leaves the registry at once (a clean shutdown): its rooms are free for other nodes to claim. */
  async leave(): Promise<void> {
    await this.redis
      .multi()
      .del(this.nodeKeyPrefix + this.nodeId)
      .srem(this.nodesKey, this.nodeId)
      .exec();
  }

  /** Nodes alive now; forgets the ones whose record expired. */
  async liveNodes(): Promise<NodeRecord[]> {
    const ids = await this.redis.smembers(this.nodesKey);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(ids.map((id) => this.nodeKeyPrefix + id));
    const live: NodeRecord[] = [];
    const dead: string[] = [];
    raw.forEach((value, i) => {
      if (value === null) dead.push(ids[i]!);
      else live.push(JSON.parse(value) as NodeRecord);
    });
    if (dead.length > 0) await this.redis.srem(this.nodesKey, ...dead);
    return live;
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return (await this.redis.exists(this.nodeKeyPrefix + nodeId)) === 1;
  }

  /** The node that holds `consultationId`'s call now, if that node is alive. */
  async ownerOf(consultationId: string): Promise<string | null> {
    const owner = await this.redis.get(this.roomKey(consultationId));
    return owner && (await this.isAlive(owner)) ? owner : null;
  }

  /** A live node's record (its URL, media address, load), or null when it is not alive. */
  async node(nodeId: string): Promise<NodeRecord | null> {
    const raw = await this.redis.get(this.nodeKeyPrefix + nodeId);
    return raw === null ? null : (JSON.parse(raw) as NodeRecord);
  }

  /**
   * Claims `consultationId`'s room for this node unless a live node holds it, atomically. Returns
   * the owner afterwards: this node's id (the call may be held here) or the live node that holds it
   * (the call must be reached there). For what enters one node and cannot be relayed, a phone leg
   * whose media arrives here say: call it before creating the call, and seat the leg only when it
   * returns this node's id. It does not look at draining: a draining node (ClusterNode.isDraining)
   * should not start calls.
   */
  async claim(consultationId: string): Promise<string> {
    return (await this.redis.eval(
      CLAIM_SCRIPT,
      1,
      this.roomKey(consultationId),
      this.nodeId,
      this.nodeKeyPrefix,
      this.roomTtlMs,
    )) as string;
  }

  /**
   * The node that holds the call: its live owner, or else the least-loaded live node that is not
   * draining, claimed atomically (two nodes placing the same room at once agree on one). Null when
   * no node can take it (every live node is draining).
   */
  async place(consultationId: string): Promise<string | null> {
    const owner = await this.ownerOf(consultationId);
    if (owner) return owner;
    const candidates = (await this.liveNodes()).filter((n) => !n.draining);
    if (candidates.length === 0) return null;
    const choice = leastLoaded(candidates);
    return (await this.redis.eval(
      CLAIM_SCRIPT,
      1,
      this.roomKey(consultationId),
      choice.nodeId,
      this.nodeKeyPrefix,
      this.roomTtlMs,
    )) as string;
  }

  /**
   * Claims again the rooms of the calls this node holds, where no live node owns them: after Redis
   * lost its data (a restart without persistence) a join must still find these calls here, not
   * start a second one elsewhere. Returns the rooms another live node holds (which should not happen).
   */
  async reassert(consultationIds: Iterable<string>): Promise<string[]> {
    const ids = [...consultationIds];
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.eval(CLAIM_SCRIPT, 1, this.roomKey(id), this.nodeId, this.nodeKeyPrefix, this.roomTtlMs);
    const results = (await pipeline.exec()) ?? [];
    return ids.filter((_id, i) => {
      const [err, owner] = results[i] ?? [];
      return !err && owner !== this.nodeId;
    });
  }

  /** The call ended on this node: the room is free (unless another node holds it by now). */
  async release(consultationId: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.roomKey(consultationId), this.nodeId);
  }
}

/** The node with the fewest calls; ties go to the one named first in id order, so every node agrees. */
export function leastLoaded(nodes: readonly NodeRecord[]): NodeRecord {
  return [...nodes].sort((a, b) => a.load - b.load || a.nodeId.localeCompare(b.nodeId))[0]!;
}
