// Real-time updates for agents (and replies for web chat visitors). On one node a published event
// goes straight to the sockets connected here; across nodes it travels through PostgreSQL
// NOTIFY on one channel, and every node LISTENs and delivers what other nodes published.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';

export interface FeedEvent {
  type: string;
  tenantId: string;
  conversationId?: string;
  teamId?: string | null;
  assigneeId?: string | null;
  /** Only this agent (a manager told of an escalation); otherwise the usual audience. */
  agentId?: string;
  /** A web chat visitor's socket, instead of agents. */
  visitor?: { channelId: string; anonymousId: string };
  data: Record<string, unknown>;
}

export interface FeedSocket {
  send(data: string): void;
  /**
   * Hold writes until uncork: the frames one publish sends to one socket then leave in one write
   * instead of one system call each (in the inbox bench, a write per frame was a fifth of the server's CPU).
   */
  cork?(): void;
  uncork?(): void;
}

interface AgentSubscription {
  tenantId: string;
  agentId?: string;
  teamIds: Set<string>;
}

const CHANNEL = 'rapport_inbox';
// NOTIFY payloads are limited to 8000 bytes; longer texts are cut, the full message is one GET away.
export const MAX_PAYLOAD = 7600;

export interface AgentFeed {
  publish(events: FeedEvent[]): void;
  addAgent(socket: FeedSocket, sub: AgentSubscription): () => void;
  addVisitor(socket: FeedSocket, tenantId: string, channelId: string, anonymousId: string): () => void;
  connections(tenantId: string): number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Who among an agent's subscriptions sees an event: everything for a supervisor (no agent id), else their teams, their assignments and the unrouted queue. */
function isAudience(sub: AgentSubscription, e: FeedEvent): boolean {
  if (e.agentId) return sub.agentId === e.agentId || !sub.agentId;
  if (!sub.agentId) return true;
  if (e.assigneeId && e.assigneeId === sub.agentId) return true;
  if (e.teamId) return sub.teamIds.has(e.teamId);
  return !e.assigneeId;
}

export function createAgentFeed(opts: { url: string; log: Logger; crossNode: boolean }): AgentFeed {
  const node = randomBytes(6).toString('hex');
  // encode() writes { o: node, e }: every payload this node sends begins with these characters.
  const ownPrefix = JSON.stringify({ o: node }).slice(0, -1);
  const agents = new Map<string, Map<FeedSocket, AgentSubscription>>();
  const visitors = new Map<string, Set<FeedSocket>>();
  let listener: pg.Client | undefined;
  let outbox: string[] = [];
  let flushing: Promise<void> | undefined;
  let notifyPool: pg.Pool | undefined;
  let stopped = false;

  function deliver(e: FeedEvent, corked?: Set<FeedSocket>) {
    // Serialised once per event, whatever the number of sockets it goes to.
    if (e.visitor) {
      // A visitor sees the message, never who inside the company holds the conversation.
      const frame = JSON.stringify({ type: e.type, conversation_id: e.conversationId, ...e.data });
      for (const s of visitors.get(`${e.tenantId}\u0000${e.visitor.channelId}\u0000${e.visitor.anonymousId}`) ?? []) safeSend(s, frame, corked);
      return;
    }
    const frame = JSON.stringify({ type: e.type, conversation_id: e.conversationId, team_id: e.teamId ?? null, assignee_id: e.assigneeId ?? null, ...e.data });
    for (const [s, sub] of agents.get(e.tenantId) ?? []) if (isAudience(sub, e)) safeSend(s, frame, corked);
  }

  /** Delivers events in order, each socket's frames leaving together once all are queued. */
  function deliverAll(events: readonly FeedEvent[]) {
    const corked = new Set<FeedSocket>();
    try {
      for (const e of events) deliver(e, corked);
    } finally {
      for (const s of corked) {
        try {
          s.uncork!();
        } catch {
          /* a closed socket has nothing to flush */
        }
      }
    }
  }

  function safeSend(s: FeedSocket, frame: string, corked?: Set<FeedSocket>) {
    try {
      if (corked && s.cork && !corked.has(s)) {
        s.cork();
        corked.add(s);
      }
      s.send(frame);
    } catch (err) {
      opts.log.debug({ err: (err as Error).message }, 'feed socket send failed');
    }
  }

  /**
   * The event as a NOTIFY payload under the limit in bytes (a Chinese character is three): a long text
   * is cut, and an event still too long (other long fields) goes without its data, marked truncated,
   * so one oversized event never fails the statement that carries the rest of its batch.
   */
  function encode(e: FeedEvent): string {
    let payload = JSON.stringify({ o: node, e });
    const text = e.data.text;
    for (let keep = typeof text === 'string' ? text.length : 0; Buffer.byteLength(payload) > MAX_PAYLOAD && keep > 0; ) {
      keep = Math.floor(keep * (MAX_PAYLOAD / Buffer.byteLength(payload)) * 0.95) - 16;
      payload = JSON.stringify({ o: node, e: { ...e, data: { ...e.data, text: (text as string).slice(0, Math.max(0, keep)), is_truncated: true } } });
    }
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) payload = JSON.stringify({ o: node, e: { ...e, data: { is_truncated: true } } });
    return payload;
  }

  // Events are batched into one NOTIFY statement per turn of the event loop.
  async function flush() {
    while (outbox.length && notifyPool) {
      const batch = outbox;
      outbox = [];
      try {
        await notifyPool.query(`SELECT pg_notify('${CHANNEL}', p) FROM unnest($1::text[]) AS p`, [batch]);
      } catch (err) {
        opts.log.warn({ err: (err as Error).message, events: batch.length }, 'feed notify failed');
      }
    }
    flushing = undefined;
  }

  function register<K, V>(map: Map<K, V>, k: K, make: () => V): V {
    let v = map.get(k);
    if (!v) map.set(k, (v = make()));
    return v;
  }

  return {
    publish(events) {
      deliverAll(events);
      if (opts.crossNode && notifyPool && !stopped) for (const e of events) outbox.push(encode(e));
      if (outbox.length && !flushing) flushing = new Promise<void>((r) => setImmediate(r)).then(flush);
    },
    addAgent(socket, sub) {
      register(agents, sub.tenantId, () => new Map()).set(socket, sub);
      return () => {
        agents.get(sub.tenantId)?.delete(socket);
      };
    },
    addVisitor(socket, tenantId, channelId, anonymousId) {
      const k = `${tenantId}\u0000${channelId}\u0000${anonymousId}`;
      register(visitors, k, () => new Set()).add(socket);
      return () => {
        const set = visitors.get(k);
        set?.delete(socket);
        if (set && !set.size) visitors.delete(k);
      };
    },
    connections: (tenantId) => agents.get(tenantId)?.size ?? 0,
    async start() {
      if (!opts.crossNode) return;
      notifyPool = new pg.Pool({ connectionString: opts.url, max: 1 });
      notifyPool.on('error', (err) => opts.log.warn({ err: err.message }, 'feed notify client error'));
      const connect = async () => {
        const client = new pg.Client({ connectionString: opts.url });
        client.on('error', (err) => opts.log.warn({ err: err.message }, 'feed listener error'));
        client.on('end', () => {
          // A lost LISTEN connection is reopened, or other nodes' events would silently stop arriving.
          if (!stopped) setTimeout(() => void connect().catch((err) => opts.log.warn({ err: (err as Error).message }, 'feed listener reconnect failed')), 1000);
        });
        client.on('notification', (n) => {
          // This node's own events come back too; they were delivered when published, and are
          // recognised by their first bytes without parsing them.
          if (n.channel !== CHANNEL || !n.payload || n.payload.startsWith(ownPrefix)) return;
          try {
            const { o, e } = JSON.parse(n.payload) as { o: string; e: FeedEvent };
            if (o !== node) deliver(e);
          } catch {
            /* not ours */
          }
        });
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
        listener = client;
      };
      await connect();
    },
    async stop() {
      stopped = true;
      await flushing;
      await listener?.end().catch(() => undefined);
      await notifyPool?.end().catch(() => undefined);
    },
  };
}
