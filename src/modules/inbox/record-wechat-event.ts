// A WeChat event (subscribe, SCAN, LOCATION, menu CLICK...) is not a message: it opens no conversation
// but joins the follower's timeline, resolved to a customer by their openid.
import { withTransaction } from '../../platform/db.js';
import type { InboxDeps } from './effects.js';
import type { Channel } from './manage-channels.js';
import { WECHAT_EVENTS } from './channels/wechat.js';

export async function recordWechatEvent(deps: Pick<InboxDeps, 'pool' | 'customers' | 'events'>, channel: Channel, x: Record<string, string>): Promise<void> {
  if (!x.FromUserName || !x.CreateTime) return;
  const event = x.Event ?? 'unknown';
  // Events carry no MsgId: one user cannot send two events in the same second, so that pair is the key.
  const { identities } = deps.customers.normalizeIdentities({ wechat_openid: x.FromUserName });
  await withTransaction(deps.pool, async (tx) => {
    const r = await deps.customers.resolveCustomers(tx, channel.tenantId, [identities], { type: 'system', id: 'inbox:wechat' });
    const customerId = r.customerIds[0]!;
    await deps.events.append(tx, channel.tenantId, [
      {
        id: `inbox:wechat:${channel.id}:${x.FromUserName}:${x.CreateTime}`,
        customerId,
        type: `wechat.${(WECHAT_EVENTS as readonly string[]).includes(event) ? event.toLowerCase() : 'event'}`,
        source: 'inbox',
        occurredAt: new Date(Number(x.CreateTime) * 1000),
        properties: {
          event,
          channel_id: channel.id,
          ...(x.EventKey ? { event_key: x.EventKey } : {}),
          ...(x.Latitude ? { lat: Number(x.Latitude), lng: Number(x.Longitude), precision: Number(x.Precision) } : {}),
        },
      },
    ]);
  });
}
