// Joins outreach and inbox: outreach's SMS, WhatsApp and WeChat messages leave through the inbox's
// channel adapters, so a tenant keeps one set of provider credentials. Given to outreach when it is built.
import type { InboxService } from '../modules/inbox/index.js';
import { createChannelSender, type OutreachDeps } from '../modules/outreach/index.js';

export function outreachLeavesThroughInboxChannels(inbox: InboxService): NonNullable<OutreachDeps['senders']> {
  return {
    sms: createChannelSender((tenantId, m) => inbox.sendOutbound(tenantId, 'sms', m)),
    wechat: createChannelSender((tenantId, m) => inbox.sendOutbound(tenantId, 'wechat', m)),
    whatsapp: createChannelSender((tenantId, m) => inbox.sendOutbound(tenantId, 'whatsapp', m)),
  };
}
