// WeChat Official Account. Inbound XML messages (text, image, voice, video, location, link) and events
// (subscribe, unsubscribe, SCAN, LOCATION, CLICK, VIEW); outbound through the customer-service
// message API, which needs an access token fetched with the app id and secret and cached until it expires.
import type { Channel } from '../manage-channels.js';
import type { InboundMessage } from '../receive-message.js';
import type { ChannelAdapter } from './adapter.js';

export const WECHAT_EVENTS = ['subscribe', 'unsubscribe', 'SCAN', 'LOCATION', 'CLICK', 'VIEW'] as const;

/** The text an agent reads for a WeChat message of any type. */
function describe(x: Record<string, string>): string {
  switch (x.MsgType) {
    case 'text': return x.Content ?? '';
    case 'image': return '[image]';
    case 'voice': return x.Recognition ? `[voice] ${x.Recognition}` : '[voice]';
    case 'video': case 'shortvideo': return '[video]';
    case 'location': return `[location] ${x.Label ?? ''} (${x.Location_X}, ${x.Location_Y})`.trim();
    case 'link': return `[link] ${x.Title ?? ''} ${x.Url ?? ''}`.trim();
    default: return `[${x.MsgType ?? 'message'}]`;
  }
}

export function wechatToInbound(channel: Channel, x: Record<string, string>): InboundMessage | undefined {
  if (!x.FromUserName || !x.MsgType || x.MsgType === 'event') return undefined;
  const meta: Record<string, unknown> = { msg_type: x.MsgType, to_user: x.ToUserName ?? null };
  for (const k of ['MediaId', 'PicUrl', 'Format', 'Recognition', 'Location_X', 'Location_Y', 'Scale', 'Label', 'Title', 'Url', 'ThumbMediaId']) if (x[k]) meta[k.toLowerCase()] = x[k];
  return {
    channel,
    externalId: x.MsgId ? `msg:${x.MsgId}` : `at:${x.FromUserName}:${x.CreateTime}`,
    identities: { wechat_openid: x.FromUserName },
    text: describe(x),
    replyAddress: x.FromUserName,
    meta,
    attachments: x.PicUrl ? [{ contentType: 'image/jpeg', url: x.PicUrl, size: 0 }] : [],
    occurredAt: undefined,
  };
}

const tokens = new Map<string, { token: string; expiresAt: number }>();

async function accessToken(channel: Channel): Promise<string> {
  const key = `${channel.tenantId}:${channel.id}`;
  const hit = tokens.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.token;
  const base = (channel.settings.api_base as string | undefined) ?? 'https://api.weixin.qq.com';
  const url = `${base.replace(/\/$/, '')}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(channel.settings.app_id)}&secret=${encodeURIComponent(channel.secrets.app_secret ?? '')}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
  if (!body.access_token) throw new Error(`WeChat token refused: ${body.errcode ?? res.status}`);
  // Renewed five minutes early: WeChat tokens live 7200 s and a token used at its last second fails.
  tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 });
  return body.access_token;
}

export const wechatAdapter: ChannelAdapter = {
  async send(channel, msg) {
    const base = (channel.settings.api_base as string | undefined) ?? 'https://api.weixin.qq.com';
    const token = await accessToken(channel);
    const res = await fetch(`${base.replace(/\/$/, '')}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: msg.to, msgtype: 'text', text: { content: msg.text } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { errcode?: number; errmsg?: string; msgid?: number };
    if (body.errcode) {
      if (body.errcode === 40001 || body.errcode === 42001) tokens.delete(`${channel.tenantId}:${channel.id}`);
      // 45015: the customer has not written within 48 hours, so WeChat refuses service messages.
      throw new Error(`WeChat refused the message: ${body.errcode}`);
    }
    return { externalId: body.msgid != null ? String(body.msgid) : undefined };
  },
};
