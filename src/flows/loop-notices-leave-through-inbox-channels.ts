// Joins loop and inbox: a case's notice to the customer on SMS, WhatsApp or WeChat goes out through the
// inbox's channel adapters, so a tenant keeps one set of provider credentials.
import type { InboxService } from '../modules/inbox/index.js';
import type { LoopService } from '../modules/loop/index.js';

export function loopNoticesLeaveThroughInboxChannels({ loop, inbox }: { loop: LoopService; inbox: InboxService }): void {
  for (const kind of ['sms', 'whatsapp', 'wechat'] as const) {
    loop.setDelivery(kind, async (n) => {
      const sent = await inbox.sendOutbound(n.tenantId, kind, { messageId: n.id, to: n.recipient, text: n.body });
      // A failure the provider calls permanent is not tried again by the outbox.
      if (sent.status === 'failed') throw Object.assign(new Error(sent.error ?? `${kind} refused the notice`), { isPermanent: sent.isPermanent === true });
      return { providerId: sent.providerMessageId };
    });
  }
}
