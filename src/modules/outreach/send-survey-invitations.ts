// Survey invitations by email, SMS and WeChat: the feedback module decides whom to ask (consent, the
// contact window, once in N days) and publishes feedback.invitation.created with the signed link;
// outreach sends it on the channel the survey asked for, through the tenant's invitation template
// (settings survey_template_id) or the one Rapport provides in zh-CN, zh-TW and en. Caps, complaint
// suppression of marketing and the timeline apply as to any message; the message id comes from the
// invitation, so a redelivered bus message sends nothing twice.
import type { BusMessage } from '../../platform/bus.js';
import { ensureTemplate, type TemplateInput } from './manage-templates.js';
import type { Channel } from './render-template.js';
import { sendMessage, derivedMessageId } from './send-message.js';
import type { OutreachContext } from './outreach-context.js';

/** Channels outreach sends invitations on; the provided template covers email and SMS, WeChat needs the tenant's own. */
export const INVITATION_CHANNELS: readonly Channel[] = ['email', 'sms', 'wechat'];

/** The provided template's id for a tenant: fixed, so concurrent first uses make one. */
export const defaultInvitationTemplateId = (tenantId: string) => `tpl_survey_${tenantId.slice(tenantId.indexOf('_') + 1)}`;

export const DEFAULT_INVITATION_TEMPLATE: TemplateInput = {
  name: 'Survey invitation (provided by Rapport)',
  purpose: 'service',
  default_locale: 'zh-CN',
  content: {
    'zh-CN': {
      email: {
        subject: '请花一分钟评价我们的服务',
        text: '{customer_display_name}，您好：\n\n感谢您选择我们。请花一分钟告诉我们您的体验，您的意见会帮助我们做得更好：\n{survey_url}\n\n链接有效期至 {survey_expires_at, date, long}。',
        html: '<p>{customer_display_name}，您好：</p><p>感谢您选择我们。请花一分钟告诉我们您的体验，您的意见会帮助我们做得更好。</p><p><a href="{survey_url}">开始评价</a></p><p style="color:#667;font-size:12px">链接有效期至 {survey_expires_at, date, long}。</p>',
      },
      sms: { text: '请花一分钟评价我们的服务：{survey_url}' },
    },
    'zh-TW': {
      email: {
        subject: '請花一分鐘評價我們的服務',
        text: '{customer_display_name}，您好：\n\n感謝您選擇我們。請花一分鐘告訴我們您的體驗，您的意見會幫助我們做得更好：\n{survey_url}\n\n連結有效期至 {survey_expires_at, date, long}。',
        html: '<p>{customer_display_name}，您好：</p><p>感謝您選擇我們。請花一分鐘告訴我們您的體驗，您的意見會幫助我們做得更好。</p><p><a href="{survey_url}">開始評價</a></p><p style="color:#667;font-size:12px">連結有效期至 {survey_expires_at, date, long}。</p>',
      },
      sms: { text: '請花一分鐘評價我們的服務：{survey_url}' },
    },
    en: {
      email: {
        subject: 'How did we do?',
        text: 'Hello {customer_display_name},\n\nThank you for choosing us. Please take a minute to tell us how we did; it helps us do better:\n{survey_url}\n\nThe link works until {survey_expires_at, date, long}.',
        html: '<p>Hello {customer_display_name},</p><p>Thank you for choosing us. Please take a minute to tell us how we did; it helps us do better.</p><p><a href="{survey_url}">Answer the survey</a></p><p style="color:#667;font-size:12px">The link works until {survey_expires_at, date, long}.</p>',
      },
      sms: { text: 'How did we do? Tell us in a minute: {survey_url}' },
    },
  },
};

/** feedback.invitation.created: the invitation sent on the channel the survey asked for, once per invitation. */
export async function sendSurveyInvitation(oc: OutreachContext, msg: BusMessage) {
  const p = msg.payload as { invitationId: string; surveyId: string; customerId: string; channel: string; url: string; trigger: string; expiresAt: string };
  if (!INVITATION_CHANNELS.includes(p.channel as Channel)) return;
  const s = await oc.settings(msg.tenantId);
  const templateId =
    s.surveyTemplateId ?? (await ensureTemplate(oc.pool, msg.tenantId, defaultInvitationTemplateId(msg.tenantId), DEFAULT_INVITATION_TEMPLATE)).id;
  await sendMessage(oc, msg.tenantId, {
    id: derivedMessageId(`invitation|${msg.tenantId}|${p.invitationId}`),
    customerId: p.customerId,
    templateId,
    channel: p.channel as Channel,
    reason: `survey invitation (${p.trigger})`,
    variables: { survey_url: p.url, survey_expires_at: new Date(p.expiresAt), survey_id: p.surveyId },
  }).catch((err) => oc.log.warn({ err: (err as Error).message, invitation: p.invitationId }, 'survey invitation not sent'));
}
