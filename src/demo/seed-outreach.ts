// The demo's outreach: bilingual templates, two segments, a welcome journey, and two promotional
// campaigns planned weeks ago through the outreach door. Promotions are marketing, so they reach only the
// customers who agreed to marketing by email: about three in five did when they signed up, and a few of
// those withdrew two days later. Their messages' fates are those a provider would have reported
// (delivered, opened, bounced, failed), written as the delivery callbacks would have left them: the demo
// never mails its invented customers.
import { timelineInsertSql } from '../modules/events/index.js';
import type { Story } from './seed-story.js';
import { DAY } from './seed-story.js';

/**
 * Marketing consent by email as the sign-up form and the unsubscribe link would have recorded it, with
 * its timeline items, in one statement: granted by 64 customers in a hundred when first seen, withdrawn
 * by 4 of them two days later. Chosen by a hash of the customer id, so the same demo gets the same answers.
 */
async function seedMarketingConsent({ r, tenantId }: Story): Promise<{ granted: number; withdrawn: number }> {
  const { rows } = await r.db.pool.query<{ status: string; n: number }>(
    `WITH chosen AS (
       SELECT id, coalesce(first_seen_at, created_at) AS seen, abs(hashtext(id || ':marketing')) % 100 AS h FROM customers WHERE tenant_id = $1
     ), answers AS (
       SELECT id, seen AS at, 'granted' AS status, 'sign-up form' AS source FROM chosen WHERE h < 64
       UNION ALL SELECT id, seen + interval '2 days', 'withdrawn', 'unsubscribe link' FROM chosen WHERE h < 4
     ), ins AS (
       INSERT INTO consent_records (tenant_id, customer_id, channel, purpose, status, source, details, recorded_at)
       SELECT $1, id, 'email', 'marketing', status, source, '{}', at FROM answers
       RETURNING id, customer_id, status, source, recorded_at
     ), timeline AS (${timelineInsertSql(`SELECT 'demo-consent:' || ins.id, 'customer.consent_changed', ins.recorded_at, ins.customer_id, 'customers',
         jsonb_build_object('channel', 'email', 'purpose', 'marketing', 'status', ins.status, 'source', ins.source) FROM ins`)})
     SELECT status, count(*)::int AS n FROM ins GROUP BY status`,
    [tenantId],
  );
  const n = (status: string) => rows.find((x) => x.status === status)?.n ?? 0;
  return { granted: n('granted'), withdrawn: n('withdrawn') };
}

const email = (subject: string, text: string) => ({ email: { subject, text, html: `<p>${text.replace(/\n/g, '<br>')}</p>` } });

export async function seedOutreach(s: Story): Promise<string> {
  const { r, tenantId } = s;
  const welcome = await r.outreach.createTemplate(tenantId, {
    name: '欢迎加入 Welcome',
    purpose: 'service',
    default_locale: 'zh-CN',
    content: {
      'zh-CN': {
        ...email('欢迎加入凤凰会员', '{customer_given_name}，您好！\n欢迎加入凤凰会员，每消费 1 元即可累积 1 积分。'),
        sms: { text: '欢迎加入凤凰会员！每消费1元累积1积分。' },
      },
      en: {
        ...email('Welcome to Phoenix Club', 'Hello {customer_given_name},\nwelcome to Phoenix Club: every yuan you spend earns a point.'),
        sms: { text: 'Welcome to Phoenix Club! Every yuan you spend earns a point.' },
      },
    },
  });
  const lounge = await r.outreach.createTemplate(tenantId, {
    name: '贵宾室礼遇 Lounge offer',
    purpose: 'marketing',
    default_locale: 'zh-CN',
    content: {
      'zh-CN': email('金卡会员专享：贵宾室双倍积分', '{customer_given_name}，本月使用贵宾室可获得双倍积分。'),
      en: email('Gold members: double points in the lounge', 'Hello {customer_given_name}, lounge visits earn double points this month.'),
    },
  });
  const tea = await r.outreach.createTemplate(tenantId, {
    name: '龙井新茶 Spring tea',
    purpose: 'marketing',
    default_locale: 'zh-CN',
    content: {
      'zh-CN': email('明前龙井到店', '{customer_given_name}，免税店明前龙井新茶已到，凭积分可兑换。'),
      en: email(
        'Spring Longjing tea has arrived',
        "Hello {customer_given_name}, this spring's Longjing tea is in our duty-free stores; redeem it with points.",
      ),
    },
  });
  const gold = await r.outreach.createSegment(tenantId, {
    name: '金卡及以上 Gold and Platinum',
    // The loyalty programme's tiers (kept by outreach from loyalty's tier changes), not the imported
    // membership_tier attribute, which is the customer's tier as another system last saw it.
    rules: { tier: { in: ['gold', 'platinum'] } },
  });
  const buyers = await r.outreach.createSegment(tenantId, {
    name: '近 90 天购买 Bought in 90 days',
    rules: { event: { type: 'purchase', within_days: 90, min_count: 1 } },
  });
  await r.outreach.createJourney(tenantId, {
    name: '新会员欢迎 Welcome journey',
    trigger: 'event.sign_up',
    steps: [{ template_id: welcome.id, delay_minutes: 0, is_urgent: false }],
    exit_on: [],
    is_active: true,
  });

  const consent = await seedMarketingConsent(s);
  let messages = 0;
  for (const [name, segment, template, daysAgo] of [
    ['贵宾室双倍积分 Lounge double points', gold, lounge, 21],
    ['明前龙井 Spring tea', buyers, tea, 9],
  ] as const) {
    const c = await r.outreach.createCampaign(tenantId, { name, segment_id: segment, template_id: template.id });
    const at = new Date(s.now - daysAgo * DAY);
    await r.outreach.planCampaign(tenantId, c, at);
    // What the providers reported: most delivered, a share of those opened, a few bounced or failed.
    const { rowCount } = await r.db.pool.query(
      `UPDATE outreach_messages SET
         status = CASE WHEN h < 3 THEN 'bounced' WHEN h < 5 THEN 'failed' WHEN h < 55 THEN 'delivered' ELSE 'opened' END,
         sent_at = $3::timestamptz + (h || ' minutes')::interval, updated_at = $3::timestamptz + (h || ' minutes')::interval,
         delivered_at = CASE WHEN h >= 5 THEN $3::timestamptz + (h || ' minutes')::interval END,
         opened_at = CASE WHEN h >= 55 THEN $3::timestamptz + (h || ' hours')::interval END
       FROM (SELECT id AS mid, abs(hashtext(id)) % 100 AS h FROM outreach_messages WHERE tenant_id = $1 AND campaign_id = $2 AND status = 'queued') x
       WHERE tenant_id = $1 AND id = x.mid`,
      [tenantId, c, at],
    );
    messages += rowCount ?? 0;
  }
  return `marketing consent of ${consent.granted} customers (${consent.withdrawn} withdrawn), 3 templates, 2 segments, a journey and 2 campaigns (${messages} messages)`;
}
