// Web chat visitors: replies their widget has not confirmed yet, confirmations, and the two doors other
// modules speak to a visitor through (a survey pop-in in the widget).
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { InboxDeps } from './effects.js';
import { safeEqual, visitorToken } from './verify-signatures.js';
import { inboxMessages } from './schema.js';

const Unconfirmed = rowOf(inboxMessages, ['id', 'conversation_id', 'text', 'created_at']);
const VisitorAddress = rowOf(inboxMessages, ['channel_id']).and<{ anonymous_id: string | null }>(['anonymous_id']);

/** A web chat visitor whose socket just opened; send() writes one frame to that socket. */
export interface ConnectedVisitor {
  tenantId: string;
  channelId: string;
  anonymousId: string;
  send(frame: Record<string, unknown>): void;
}
export type VisitorHook = (v: ConnectedVisitor) => Promise<void>;

export function webchatVisitors({ pool, outbox, channels, feed, log }: Pick<InboxDeps, 'pool' | 'outbox' | 'channels' | 'feed' | 'log'>) {
  // Other modules speak to a web chat visitor (a survey pop-in in the widget) through these two doors:
  // a hook when a visitor's socket opens, and a frame sent to the visitor of a conversation.
  const visitorHooks: VisitorHook[] = [];
  async function visitorConnected(v: ConnectedVisitor) {
    for (const hook of visitorHooks) {
      try {
        await hook(v);
      } catch (err) {
        log.warn({ err: (err as Error).message, channel: v.channelId }, 'web chat visitor hook failed');
      }
    }
  }

  return {
    /** Web chat replies to this visitor not yet confirmed by their widget, oldest first, as the frames the live feed sends. */
    async unconfirmedForVisitor(tenantId: string, channelId: string, anonymousId: string) {
      const rows = await queryRows(
        pool,
        Unconfirmed,
        `SELECT id, conversation_id, text, created_at FROM inbox_messages
          WHERE tenant_id = $1 AND channel_id = $2 AND direction = 'out' AND channel_kind = 'webchat' AND meta->>'to' = $3 AND delivery_status IN ('sent','queued','sending')
            AND meta->>'emailed_as' IS NULL
          ORDER BY created_at, id LIMIT 200`,
        [tenantId, channelId, anonymousId],
      );
      return rows.map((m) => ({
        type: 'message',
        conversation_id: m.conversation_id,
        message_id: m.id,
        text: m.text,
        direction: 'out',
        at: m.created_at.toISOString(),
      }));
    },
    /** The visitor's widget showed this reply: it is delivered, and never sent to them again. */
    async confirmByVisitor(tenantId: string, channelId: string, anonymousId: string, messageId: string) {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM inbox_messages WHERE tenant_id = $1 AND id = $2 AND channel_id = $3 AND direction = 'out' AND meta->>'to' = $4`,
        [tenantId, messageId, channelId, anonymousId],
      );
      if (rowCount) await outbox.recordReceipt(tenantId, { id: messageId }, { status: 'delivered' });
    },
    onVisitorConnected(hook: VisitorHook) {
      visitorHooks.push(hook);
    },
    /**
     * Whether a visitor token proves this anonymous id: one of the tenant's enabled web chat channels
     * signed it when it issued the id. Other modules (the widget's feedback) honour an anonymous id
     * only with this proof, so that nobody can speak as, or join a profile to, a visitor they are not.
     */
    async isVisitor(tenantId: string, anonymousId: string, token: string): Promise<boolean> {
      const chats = (await channels.list(tenantId)).filter((c) => c.kind === 'webchat' && c.isEnabled && c.secrets.identity_secret);
      return chats.some((c) => safeEqual(visitorToken(c.secrets.identity_secret, anonymousId), token));
    },
    /**
     * Sends a frame to the web chat visitor of a conversation, on whichever node their socket is: the
     * channel and anonymous id of the conversation's last web chat message. False when it has none.
     */
    async sendToVisitor(tenantId: string, conversationId: string, frame: { type: string } & Record<string, unknown>): Promise<boolean> {
      const m = await queryRow(
        pool,
        VisitorAddress,
        `SELECT channel_id, meta->>'reply_address' AS anonymous_id FROM inbox_messages
          WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' AND channel_kind = 'webchat' ORDER BY created_at DESC LIMIT 1`,
        [tenantId, conversationId],
      );
      // An inbound message always names the channel it came in on; the check only tells the compiler.
      if (!m?.anonymous_id || !m.channel_id) return false;
      const { type, ...data } = frame;
      feed.publish([{ type, tenantId, conversationId, visitor: { channelId: m.channel_id, anonymousId: m.anonymous_id }, data }]);
      return true;
    },
    visitorConnected,
  };
}
