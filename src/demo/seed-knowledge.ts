// The demo's knowledge base: categories, articles in Chinese and English (refunds, baggage, points,
// check-in), one internal article for agents, searches visitors made that found nothing (content gaps)
// and a guided script for a lost-baggage case. Published public articles make the help centre.
import type { Story } from './seed-story.js';

const CATEGORIES = [
  { slug: 'refunds', names: { 'zh-CN': '退款与改签', en: 'Refunds and changes' } },
  { slug: 'baggage', names: { 'zh-CN': '行李', en: 'Baggage' } },
  { slug: 'points', names: { 'zh-CN': '积分与会员', en: 'Points and membership' } },
  { slug: 'check-in', names: { 'zh-CN': '值机与登机', en: 'Check-in and boarding' } },
];

interface Pair {
  category: string;
  zh: { title: string; body: string };
  en: { title: string; body: string };
  internal?: boolean;
}

const ARTICLES: Pair[] = [
  {
    category: 'refunds',
    zh: {
      title: '如何申请机票退款',
      body: '在“我的订单”中选择航班并点击“申请退款”。\n\n- 自愿退票按票价规则收取退票费\n- 航班取消或延误超过 4 小时可全额退款\n- 退款原路返回，通常 7 个工作日内到账',
    },
    en: {
      title: 'How to request a ticket refund',
      body: 'Open "My orders", choose the flight and select "Request refund".\n\n- Voluntary refunds follow the fare rules\n- A flight cancelled or delayed by more than 4 hours is refunded in full\n- The money returns to the original payment method, usually within 7 working days',
    },
  },
  {
    category: 'refunds',
    zh: { title: '改签航班需要多少费用', body: '改签费用取决于票价等级：经济舱特价票收取 20% 改签费，全价票免费改签一次。金卡及以上会员每年可免费改签两次。' },
    en: {
      title: 'What does it cost to change a flight',
      body: 'The change fee depends on the fare: discounted economy fares pay 20%, full fares change once for free. Gold and Platinum members change twice a year for free.',
    },
  },
  {
    category: 'baggage',
    zh: { title: '托运行李额度', body: '经济舱每人可免费托运 1 件 23 公斤行李，公务舱 2 件。超重或超件需在值机柜台支付逾重行李费。' },
    en: {
      title: 'Checked baggage allowance',
      body: 'Economy passengers check one 23 kg bag for free, Business two. Extra or overweight bags are paid at the check-in desk.',
    },
  },
  {
    category: 'baggage',
    zh: {
      title: '行李延误或丢失怎么办',
      body: '请在到达行李提取区的行李查询柜台登记，保留行李牌。我们会在 24 小时内联系您，72 小时内未找到的行李可申请临时生活用品补偿。',
    },
    en: {
      title: 'Delayed or lost baggage',
      body: 'Report it at the baggage service desk in the arrivals hall and keep your bag tag. We contact you within 24 hours; if the bag is not found within 72 hours you can claim essentials.',
    },
  },
  {
    category: 'points',
    zh: { title: '积分如何累积和使用', body: '每消费 1 元累积 1 积分，免税美妆双倍积分。积分可兑换贵宾室、免税店代金券和升舱券。积分在获得后第二年年底过期。' },
    en: {
      title: 'Earning and using points',
      body: 'Every yuan spent earns one point, duty-free beauty earns double. Points buy lounge passes, duty-free vouchers and upgrades. Points expire at the end of the year after they were earned.',
    },
  },
  {
    category: 'points',
    zh: { title: '会员等级与权益', body: '银卡：2000 积分；金卡：6000 积分，积分加速 25% 并享优先客服；白金卡：15000 积分，积分加速 50%。' },
    en: {
      title: 'Membership tiers and benefits',
      body: 'Silver at 2,000 points; Gold at 6,000 points with 25% more points and priority service; Platinum at 15,000 points with 50% more.',
    },
  },
  {
    category: 'check-in',
    zh: { title: '网上值机', body: '航班起飞前 24 小时至 1 小时可在 App 或小程序办理网上值机并选座，电子登机牌可直接过安检。' },
    en: {
      title: 'Online check-in',
      body: 'Check in and choose your seat in the app from 24 hours to 1 hour before departure; the mobile boarding pass works at security.',
    },
  },
  {
    category: 'check-in',
    zh: { title: '航班延误时的安排', body: '延误超过 2 小时提供餐食，超过 4 小时可免费改签或全额退款，夜间延误安排酒店住宿。' },
    en: {
      title: 'When your flight is delayed',
      body: 'Delays over 2 hours include a meal; over 4 hours you can change for free or take a full refund; overnight delays include a hotel.',
    },
  },
  {
    category: 'refunds',
    internal: true,
    zh: { title: '客服内部：退款例外审批', body: '超过票价规则的退款需值班主管在工单中审批，注明原因（健康、家庭紧急情况、系统故障）。' },
    en: {
      title: 'Internal: refund exceptions',
      body: "A refund beyond the fare rules needs the duty supervisor's approval on the case, with the reason (health, family emergency, system fault).",
    },
  },
];

/** What visitors looked for and did not find: the content gaps the knowledge screen lists. */
const GAPS = [
  { q: '宠物托运', language: 'zh-CN' as const, times: 9, chat: 3 },
  { q: 'pet travel in the cabin', language: 'en' as const, times: 6, chat: 2 },
  { q: '机上wifi', language: 'zh-CN' as const, times: 7, chat: 1 },
  { q: 'unaccompanied minor', language: 'en' as const, times: 4, chat: 2 },
  { q: '婴儿车', language: 'zh-CN' as const, times: 5, chat: 0 },
];

export interface DemoKnowledge {
  articles: number;
  gapSearchIds: string[];
}

export async function seedKnowledge(s: Story): Promise<DemoKnowledge> {
  const { r, tenantId, actor } = s;
  const categories = new Map<string, string>();
  for (const [position, c] of CATEGORIES.entries()) categories.set(c.slug, (await r.knowledge.createCategory(tenantId, { ...c, position })).id);
  let articles = 0;
  let lostBaggage = '';
  for (const a of ARTICLES) {
    const common = {
      category_id: categories.get(a.category)!,
      status: 'published' as const,
      visibility: a.internal ? ('internal' as const) : ('public' as const),
    };
    const zh = (await r.knowledge.createArticle(tenantId, { ...a.zh, ...common, language: 'zh-CN' }, actor))!.id;
    await r.knowledge.createArticle(tenantId, { ...a.en, ...common, language: 'en', translation_of: zh }, actor);
    if (a.en.title.startsWith('Delayed or lost')) lostBaggage = zh;
    // A second version of the refund article: the editor's history has something to show.
    if (a === ARTICLES[0]) await r.knowledge.updateArticle(tenantId, zh, { body: `${a.zh.body}\n- 退款进度可在“我的订单”中查看` }, actor);
    articles += 2;
  }

  const gapSearchIds: string[] = [];
  for (const g of GAPS) {
    for (let i = 0; i < g.times; i++) {
      const found = await r.knowledge.visitorSearch(tenantId, {
        q: g.q,
        language: g.language,
        source: i % 2 ? 'help_centre' : 'widget',
        anonymousId: `demo-visitor-${g.q.length}-${i}`,
      });
      if (i < g.chat && found.search_id) gapSearchIds.push(found.search_id);
    }
  }
  // Some searches that do find an answer, so the gap list stands out against them.
  for (const q of ['退款', 'baggage allowance', '积分', 'online check-in', '行李丢失']) await r.knowledge.visitorSearch(tenantId, { q, source: 'help_centre' });

  await r.knowledge.createScript(tenantId, {
    case_type: 'lost_baggage',
    title: '行李丢失处理 / Lost baggage',
    language: 'zh-CN',
    root_node: 'start',
    nodes: [
      {
        id: 'start',
        kind: 'question',
        text: '客户是否已在机场登记行李查询？/ Has the customer reported it at the airport?',
        options: [
          { id: 'yes', label: '已登记 / Yes', next: 'tag' },
          { id: 'no', label: '未登记 / No', next: 'report' },
        ],
      },
      {
        id: 'report',
        kind: 'action',
        text: '引导客户通过 App 在线登记，并记录行李牌号。/ Help them report it in the app and note the bag tag number.',
        article_id: lostBaggage || null,
        options: [],
      },
      {
        id: 'tag',
        kind: 'question',
        text: '是否超过 72 小时仍未找到？/ Missing for more than 72 hours?',
        options: [
          { id: 'over', label: '超过 / Yes', next: 'compensate' },
          { id: 'under', label: '未超过 / No', next: 'wait' },
        ],
      },
      {
        id: 'compensate',
        kind: 'action',
        text: '发起临时生活用品补偿，并升级给行李主管。/ Offer the essentials claim and escalate to the baggage supervisor.',
        options: [],
      },
      { id: 'wait', kind: 'action', text: '告知预计送达时间，24 小时后主动回访。/ Give the expected delivery time and call back in 24 hours.', options: [] },
    ],
  });
  return { articles, gapSearchIds };
}
