// The demo's service desk: a channel of every kind, two teams, agents online, away and offline, an SLA,
// canned replies, and a month of conversations in every state — resolved history, some waiting for the
// customer, snoozed, and this morning's open ones, a few of them in the queue past their first-response
// target. Customers write through the inbox's own group-commit door with the time they wrote; agents
// answer through the reply door on every channel: the channels are sandboxes (their answers are kept as
// sent and reach no provider), and web chat's socket sends nothing while no visitor is connected.
import { isPinnable } from '../platform/clock.js';
import { queryRow, rowOf } from '../platform/query-rows.js';
import { users } from '../platform/schema.js';
import type { Story } from './seed-story.js';
import { DAY, HOUR, inSlices } from './seed-story.js';
import type { DemoKnowledge } from './seed-knowledge.js';

// A loopback port nothing listens on: a demo channel can never reach a real provider.
const NOWHERE = 'http://127.0.0.1:9';

const ASK = {
  zh: [
    '我的航班延误了，能改签到明天吗？',
    '退款申请提交一周了还没到账',
    '行李在浦东机场没有出来，怎么办？',
    '积分为什么没有到账？',
    '请问怎么网上值机？',
    '想把经济舱升级到公务舱',
    '免税店买的东西能退吗？',
    '会员等级什么时候更新？',
    '客服电话一直打不通',
    '航班取消了，酒店谁来安排？',
  ],
  en: [
    'My flight was delayed, can I change to tomorrow?',
    'I asked for a refund a week ago and have not received it',
    'My bag did not arrive at Heathrow',
    'Why have my points not been added?',
    'How do I check in online?',
    'Can I upgrade to business class?',
    'Can I return something bought at duty free?',
    'When does my tier update?',
    'Nobody answers the phone line',
    'My flight was cancelled, who books the hotel?',
  ],
};
const ANSWER = {
  zh: ['您好，已为您查询，请稍等。', '已为您处理，请在“我的订单”中查看。', '给您带来不便非常抱歉，我们已登记并会尽快跟进。'],
  en: [
    'Hello, let me look into that for you.',
    'Done: you will see it under "My orders".',
    'Sorry for the trouble, we have logged it and will follow up shortly.',
  ],
};

type Kind = 'webchat' | 'email' | 'sms' | 'whatsapp' | 'wechat' | 'api';

export async function seedInbox(s: Story, knowledge: DemoKnowledge): Promise<string> {
  const { r, tenantId, rand, pick, actor } = s;
  const desk = await r.inbox.createTeam(tenantId, { name: '客服中心 Service desk', assignment: 'least_loaded' });
  const vip = await r.inbox.createTeam(tenantId, { name: 'VIP 贵宾服务', assignment: 'round_robin' });
  const agentUser = await queryRow(r.db.pool, rowOf(users, ['id']), `SELECT id FROM users WHERE tenant_id = $1 AND email = 'agent@demo.rapport.dev'`, [
    tenantId,
  ]);
  const agents = [
    await r.inbox.createAgent(tenantId, {
      name: 'Agent Chen',
      email: 'agent@demo.rapport.dev',
      ...(agentUser ? { user_id: agentUser.id } : {}),
      status: 'online',
      capacity: 8,
      is_senior: false,
      team_ids: [desk.id],
    }),
    await r.inbox.createAgent(tenantId, { name: '王芳', status: 'online', capacity: 8, is_senior: true, team_ids: [desk.id, vip.id] }),
    await r.inbox.createAgent(tenantId, { name: 'Liam Walker', status: 'away', capacity: 5, is_senior: false, team_ids: [desk.id] }),
    await r.inbox.createAgent(tenantId, { name: '李娜', status: 'offline', capacity: 5, is_senior: false, team_ids: [vip.id] }),
  ];
  await r.inbox.createSlaPolicy(tenantId, {
    name: '标准 Standard',
    team_id: desk.id,
    first_response_minutes: 30,
    next_response_minutes: 60,
    resolution_minutes: 24 * 60,
    warning_percent: 80,
    calendar: { kind: '24x7' },
    escalation: {},
  });
  await r.inbox.createSlaPolicy(tenantId, {
    name: 'VIP',
    team_id: vip.id,
    first_response_minutes: 10,
    resolution_minutes: 8 * 60,
    warning_percent: 80,
    calendar: { kind: '24x7' },
    escalation: {},
  });
  await r.inbox.createRoutingRule(tenantId, { name: 'Everything to the service desk', position: 100, conditions: {}, team_id: desk.id, is_enabled: true });
  for (const c of [
    { shortcut: 'hello', title: '问候 Greeting', body: '您好 {customer.name}，我是 {agent.name}，很高兴为您服务。', language: 'zh-CN' },
    {
      shortcut: 'refund-time',
      title: 'Refund timing',
      body: 'Hello {customer.name}, refunds reach the original payment method within 7 working days.',
      language: 'en',
    },
  ])
    await r.inbox.createCannedReply(tenantId, c);

  const made = {} as Record<Kind, string>;
  for (const [kind, name, settings, secrets] of [
    ['webchat', '官网在线客服 Web chat', { welcome: '您好！有什么可以帮您？ / Hello! How can we help?' }, {}],
    ['email', 'service@demo-air.example', { address: 'service@demo-air.example', from_name: 'Demo Air Service' }, {}],
    ['sms', '短信 SMS', { account_sid: 'ACdemo0000000000000000000000000000', from: '+8610690000', api_base: NOWHERE }, { auth_token: 'demo-sms-token' }],
    ['whatsapp', 'WhatsApp', { account_sid: 'ACdemo0000000000000000000000000000', from: '+447700900000', api_base: NOWHERE }, { auth_token: 'demo-wa-token' }],
    ['wechat', '微信公众号 WeChat', { app_id: 'wxdemo00000000000', api_base: NOWHERE }, { token: 'demotoken' }],
    ['api', 'App in-app messages', { source: 'app' }, {}],
  ] as const) {
    made[kind] = (
      await r.inbox.createChannel(tenantId, {
        kind,
        name,
        settings: settings as Record<string, unknown>,
        secrets: secrets as Record<string, string>,
        is_enabled: true,
        // The demo's providers are invented: replies and notices are kept as sent, and nobody is contacted.
        is_sandbox: kind !== 'webchat',
      })
    ).channel.id;
  }
  const channel = Object.fromEntries(await Promise.all(Object.entries(made).map(async ([k, id]) => [k, await r.inbox.getChannel(tenantId, id)]))) as Record<
    Kind,
    Awaited<ReturnType<typeof r.inbox.getChannel>>
  >;

  // One conversation per customer: each story takes the next customer of a seeded shuffle.
  const order = s.customers
    .map((c, i) => ({ c, k: rand(), i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.c);
  let next = 0;
  const plan: { kind: Kind; at: number; state: 'resolved' | 'pending' | 'snoozed' | 'open'; c: (typeof order)[number] }[] = [];
  const kindFor = (c: (typeof order)[number]): Kind => {
    const options: Kind[] = ['webchat', 'email', 'api'];
    if (c.identities.phone) options.push(c.isChinese ? 'sms' : 'whatsapp');
    if (c.identities.wechat_openid) options.push('wechat', 'wechat');
    return pick(options);
  };
  const n = (x: number) => Math.max(2, Math.round(x * s.scale));
  for (let i = 0; i < n(70); i++) {
    const c = order[next++];
    plan.push({ c, kind: kindFor(c), at: s.now - (1 + rand() * 29) * DAY, state: 'resolved' });
  }
  for (let i = 0; i < n(10); i++) {
    const c = order[next++];
    plan.push({ c, kind: kindFor(c), at: s.now - (0.5 + rand() * 2) * DAY, state: 'pending' });
  }
  for (let i = 0; i < n(5); i++) {
    const c = order[next++];
    plan.push({ c, kind: kindFor(c), at: s.now - (0.3 + rand()) * DAY, state: 'snoozed' });
  }
  // This morning: most within the hour, a few waiting since well before their 30-minute target.
  for (let i = 0; i < n(24); i++) {
    const c = order[next++];
    plan.push({ c, kind: kindFor(c), at: s.now - (i < n(5) ? (1.2 + rand() * 2) * HOUR : rand() * 40 * 60_000), state: 'open' });
  }
  plan.sort((a, b) => a.at - b.at);

  const identityOf = (p: (typeof plan)[number]): { identities: Record<string, string>; replyAddress: string } => {
    const id = p.c.identities;
    switch (p.kind) {
      case 'sms':
      case 'whatsapp':
        return { identities: { phone: id.phone! }, replyAddress: id.phone! };
      case 'wechat':
        return { identities: { wechat_openid: id.wechat_openid! }, replyAddress: id.wechat_openid! };
      case 'email':
        return { identities: { email: id.email }, replyAddress: id.email };
      default:
        return { identities: { email: id.email }, replyAddress: `demo-anon-${id.email}` };
    }
  };
  const history = plan.filter((p) => p.state !== 'open');
  const today = plan.filter((p) => p.state === 'open');
  // The agents are away while history is written, so nothing old lands in today's queues.
  for (const a of agents) await r.inbox.updateAgent(tenantId, a.id, { status: 'offline' });
  const received = new Map<(typeof plan)[number], string>();
  const receive = async (list: typeof plan) =>
    inSlices(list, 50, async (p, i) => {
      const lang = p.c.isChinese ? 'zh' : 'en';
      const { identities, replyAddress } = identityOf(p);
      const text = ASK[lang][(i + Math.floor(p.at / HOUR)) % ASK[lang].length];
      const out = await r.inbox.receive({
        channel: channel[p.kind],
        externalId: `demo-${p.kind}-${p.c.identities.email}`,
        identities,
        senderName: p.c.name,
        text,
        subject: p.kind === 'email' ? text.slice(0, 40) : null,
        replyAddress,
        occurredAt: new Date(p.at),
      });
      if (!(out instanceof Error)) received.set(p, out.conversationId);
    });
  await receive(history);

  // History is answered and closed at the time it happened: the clock is held at each moment (a clock
  // that cannot be held dates it now).
  const at = (t: number | undefined) => {
    if (isPinnable(r.clock)) r.clock.pin(t === undefined ? undefined : new Date(t));
  };
  const restore = () => at(undefined);
  let answered = 0;
  try {
    for (const p of history) {
      const id = received.get(p);
      if (!id) continue;
      // Closed ones were the day shift's; what still waits on the customer spreads over the whole desk.
      const agent = agents[answered++ % (p.state === 'resolved' ? 3 : 4)];
      const lang = p.c.isChinese ? 'zh' : 'en';
      const firstResponse = p.at + (3 + rand() * (p.at < s.now - 12 * DAY && p.at > s.now - 16 * DAY ? 90 : 25)) * 60_000;
      at(firstResponse);
      await r.inbox.assign(tenantId, id, { agent_id: agent.id, force: true }, actor);
      // Each write below is one transaction on the embedded database: the history is kept to a month of
      // the busiest channels' worth so the first start stays quick.
      await r.inbox.reply(tenantId, id, { text: ANSWER[lang][answered % 3], agent_id: agent.id }, actor);
      if (p.state === 'resolved') {
        at(firstResponse + (0.2 + rand() * 6) * HOUR);
        await r.inbox.updateConversation(tenantId, id, { status: 'resolved', ...(answered % 4 === 0 ? { tags: ['refund'] } : {}) }, actor);
      } else if (p.state === 'pending') {
        await r.inbox.updateConversation(tenantId, id, { status: 'pending' }, actor);
      } else {
        await r.inbox.updateConversation(tenantId, id, { status: 'snoozed', snoozed_until: new Date(s.now + (4 + rand() * 20) * HOUR).toISOString() }, actor);
      }
    }
  } finally {
    restore();
  }
  // Two agents come online for today's queue; one is away and one has gone home.
  await r.inbox.updateAgent(tenantId, agents[0].id, { status: 'online' });
  await r.inbox.updateAgent(tenantId, agents[1].id, { status: 'online' });
  await r.inbox.updateAgent(tenantId, agents[2].id, { status: 'away' });
  await receive(today);
  // A visitor who searched the help centre and then asked in the chat: the content gap is "followed by chat".
  const chats = today
    .filter((p) => p.kind === 'webchat')
    .map((p) => received.get(p))
    .filter((x): x is string => !!x);
  for (const [i, searchId] of knowledge.gapSearchIds.entries())
    if (chats.length) await r.knowledge.recordSearchFollowedByChat(tenantId, searchId, chats[i % chats.length]);
  return `${received.size} conversations over ${Object.keys(channel).length} channels, ${agents.length} agents`;
}
