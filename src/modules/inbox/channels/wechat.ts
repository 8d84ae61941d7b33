// WeChat Official Account. Inbound XML messages (text, image, voice, video, location, link) and events
// (subscribe, unsubscribe, SCAN, LOCATION, CLICK, VIEW); outbound through the customer-service
// message API, which needs an access token fetched with the app id and secret and cached until it expires.
import type { Channel } from '../manage-channels.js';
import type { InboundMessage } from '../receive-message.js';
import { ProviderError, isRetryableStatus, configurationError, type ChannelAdapter } from './adapter.js';
import { sendHttp, retryAfterMs } from '../../../platform/send-http.js';
import type { Egress } from '../../../platform/egress.js';

export const WECHAT_EVENTS = ['subscribe', 'unsubscribe', 'SCAN', 'LOCATION', 'CLICK', 'VIEW'] as const;

/** The text an agent reads for a WeChat message of any type. */
function describe(x: Record<string, string>): string {
  switch (x.MsgType) {
    case 'text':
      return x.Content ?? '';
    case 'image':
      return '[image]';
    case 'voice':
      return x.Recognition ? `[voice] ${x.Recognition}` : '[voice]';
    case 'video':
    case 'shortvideo':
      return '[video]';
    case 'location':
      return `[location] ${x.Label ?? ''} (${x.Location_X}, ${x.Location_Y})`.trim();
    case 'link':
      return `[link] ${x.Title ?? ''} ${x.Url ?? ''}`.trim();
    default:
      return `[${x.MsgType ?? 'message'}]`;
  }
}

export function wechatToInbound(channel: Channel, x: Record<string, string>): InboundMessage | undefined {
  if (!x.FromUserName || !x.MsgType || x.MsgType === 'event') return undefined;
  const meta: Record<string, unknown> = { msg_type: x.MsgType, to_user: x.ToUserName ?? null };
  for (const k of ['MediaId', 'PicUrl', 'Format', 'Recognition', 'Location_X', 'Location_Y', 'Scale', 'Label', 'Title', 'Url', 'ThumbMediaId'])
    if (x[k]) meta[k.toLowerCase()] = x[k];
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

async function accessToken(egress: Egress, channel: Channel): Promise<string> {
  const key = `${channel.tenantId}:${channel.id}`;
  const hit = tokens.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.token;
  // Without the app secret WeChat would only answer 40125 after a round trip: say what is missing instead.
  if (!channel.secrets.app_secret) throw configurationError('this WeChat channel has no app_secret; add it under the channel settings to send');
  if (!channel.settings.app_id) throw configurationError('this WeChat channel has no app_id');
  const base = (channel.settings.api_base as string | undefined) ?? 'https://api.weixin.qq.com';
  const url = `${base.replace(/\/$/, '')}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(channel.settings.app_id)}&secret=${encodeURIComponent(channel.secrets.app_secret)}`;
  const res = await sendHttp(egress, url);
  if (!res.ok) throw new ProviderError(`WeChat token endpoint answered ${res.status}`, !isRetryableStatus(res.status), res.status, retryAfterMs(res));
  const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
  // 40013 invalid app id, 40125 invalid secret, 40164 server address not whitelisted: settings to fix, not to retry.
  if (!body.access_token) throw new ProviderError(`WeChat token refused: ${body.errcode ?? res.status}`, body.errcode !== -1);
  // Renewed five minutes early: WeChat tokens live 7200 s and a token used at its last second fails.
  tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 });
  return body.access_token;
}

// WeChat answers HTTP 200 with an errcode; these are worth another try: -1 system busy, 40001/42001 the
// access token expired (dropped, so the next try fetches a new one), 45009 the daily API quota (resets).
const RETRYABLE_ERRCODES = new Set([-1, 40001, 42001, 45009]);

async function postJson(egress: Egress, url: string, payload: unknown): Promise<{ errcode?: number; errmsg?: string; msgid?: number }> {
  const res = await sendHttp(egress, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  if (!res.ok) throw new ProviderError(`WeChat answered ${res.status}`, !isRetryableStatus(res.status), res.status, retryAfterMs(res));
  return (await res.json()) as { errcode?: number; errmsg?: string; msgid?: number };
}

export const createWechatAdapter = (egress: Egress): ChannelAdapter => ({
  async send(channel, msg) {
    const base = ((channel.settings.api_base as string | undefined) ?? 'https://api.weixin.qq.com').replace(/\/$/, '');
    const token = await accessToken(egress, channel);
    // A customer-service message reaches a follower who wrote within 48 hours; a template message
    // (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html) reaches any follower.
    const body = msg.wechatTemplate
      ? await postJson(egress, `${base}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`, {
          touser: msg.to,
          template_id: msg.wechatTemplate.templateId,
          ...(msg.wechatTemplate.url ? { url: msg.wechatTemplate.url } : {}),
          data: msg.wechatTemplate.data,
        })
      : await postJson(egress, `${base}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
          touser: msg.to,
          msgtype: 'text',
          text: { content: msg.text },
        });
    if (body.errcode) {
      if (body.errcode === 40001 || body.errcode === 42001) tokens.delete(`${channel.tenantId}:${channel.id}`);
      // 45015: the customer has not written within 48 hours, so WeChat refuses service messages.
      throw new ProviderError(`WeChat refused the message: ${body.errcode}${body.errmsg ? ` ${body.errmsg}` : ''}`, !RETRYABLE_ERRCODES.has(body.errcode));
    }
    return { externalId: body.msgid != null ? String(body.msgid) : undefined };
  },
});
