// The demo tenant's data: about 2,000 customers (Chinese and English names) and 50,000 events telling
// an airline-with-retail story — sign-ups, browsing, flights and upgrades, duty-free shopping, a
// credit-card application some abandon, monthly bills, refunds and visits to stores. Deterministic:
// the same seed gives the same data.
import type { Rapport } from '../app.js';
import { LoyaltyProgram } from '../modules/loyalty/index.js';
import { seedStory, rng, type DemoCustomer } from './seed-story.js';
import { findLeavers } from './find-leavers.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN_ZH = [
  '芳',
  '伟',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '晓东',
  '雪',
  '婷',
];
const PINYIN: Record<string, string> = {
  王: 'wang',
  李: 'li',
  张: 'zhang',
  刘: 'liu',
  陈: 'chen',
  杨: 'yang',
  黄: 'huang',
  赵: 'zhao',
  吴: 'wu',
  周: 'zhou',
  徐: 'xu',
  孙: 'sun',
  马: 'ma',
  朱: 'zhu',
  胡: 'hu',
  郭: 'guo',
  何: 'he',
  林: 'lin',
  高: 'gao',
  罗: 'luo',
};
const FIRST_EN = [
  'Emma',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'James',
  'Sophia',
  'Lucas',
  'Mia',
  'Henry',
  'Grace',
  'Jack',
  'Chloe',
  'Leo',
  'Ruby',
  'Oscar',
  'Amelia',
  'Ethan',
  'Isla',
  'Daniel',
];
const LAST_EN = [
  'Smith',
  'Brown',
  'Taylor',
  'Wilson',
  'Johnson',
  'Walker',
  'Clarke',
  'Wright',
  'Green',
  'Hall',
  'Wood',
  'Harris',
  'Martin',
  'Thompson',
  'White',
];
const STORES = [
  { id: 'PEK-T3-DF', lat: 40.0799, lng: 116.6031, name: 'Beijing T3 duty free' },
  { id: 'PVG-T2-DF', lat: 31.1443, lng: 121.8083, name: 'Shanghai Pudong T2 duty free' },
  { id: 'CAN-T2-DF', lat: 23.3924, lng: 113.2988, name: 'Guangzhou T2 duty free' },
  { id: 'SZX-CITY', lat: 22.5431, lng: 114.0579, name: 'Shenzhen city store' },
  { id: 'LHR-T2-DF', lat: 51.47, lng: -0.4543, name: 'London Heathrow T2 shop' },
];
const ROUTES = ['PEK-PVG', 'PVG-CAN', 'PEK-SZX', 'PVG-LHR', 'CAN-SIN', 'PEK-NRT', 'SZX-HKG', 'PVG-CDG'];
const RETAIL = [
  { sku: 'SK2-ESS-230', name: 'SK-II Facial Treatment Essence', category: 'beauty', price: 1290 },
  { sku: 'MOUTAI-500', name: 'Kweichow Moutai 500ml', category: 'spirits', price: 2699 },
  { sku: 'DIOR-SAUV-100', name: 'Dior Sauvage 100ml', category: 'fragrance', price: 980 },
  { sku: 'TEA-LONGJING', name: 'West Lake Longjing tea', category: 'food', price: 368 },
  { sku: 'NECK-PILLOW', name: 'Travel neck pillow', category: 'travel', price: 129 },
];

/** How long ago the demo's loyalty programme launched: purchases since then earned points. */
const LOYALTY_DAYS = 90;
const ADDRESSES_ZH = [
  '北京市朝阳区建国路88号\n100022',
  '上海市浦东新区世纪大道100号\n200120',
  '广州市天河区天河路385号\n510620',
  '深圳市南山区科技园南路2号\n518057',
];
const ADDRESSES_EN = [
  'Harbour Road\nWan Chai\nHong Kong',
  'King Street\nLondon\nW6 9JT',
  'Orchard Road\nSingapore 238879',
  'West 34th Street\nNew York, NY 10001',
];
const REWARDS = [
  { name: 'Lounge pass', description: 'One visit to any partner lounge', cost_points: 3000, voucher_valid_days: 180 },
  { name: '¥100 duty-free voucher', description: 'For any duty-free store purchase of ¥500 or more', cost_points: 2000, voucher_valid_days: 90 },
  { name: 'West Lake Longjing tea', description: '250 g, delivered to your postal address', cost_points: 1500, stock: 200 },
  {
    name: 'Business upgrade voucher',
    description: 'One upgrade on a flight within Asia',
    cost_points: 15000,
    tiers: ['gold', 'platinum'],
    voucher_valid_days: 365,
  },
];

export interface SeedOptions {
  customers?: number;
  events?: number;
  seed?: number;
  now?: Date;
  log?: (msg: string) => void;
  /** false: customers, events and the loyalty programme only, without the other modules' story. */
  story?: boolean;
}

export async function seedDemo(rapport: Rapport, tenantId: string, opts: SeedOptions = {}): Promise<{ customers: number; events: number }> {
  const nCustomers = opts.customers ?? 2000;
  const nEvents = opts.events ?? 50_000;
  const rand = rng(opts.seed ?? 20261124);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const now = (opts.now ?? rapport.clock.now()).getTime();
  const DAY = 86_400_000;
  const actor = { type: 'system' as const, id: 'demo-seed' };

  for (const [key, type, label] of [
    ['membership_tier', 'string', 'Membership tier'],
    ['home_airport', 'string', 'Home airport'],
    ['birthday', 'date', 'Birthday'],
    ['miles_balance', 'number', 'Miles balance'],
    ['postal_address', 'string', 'Postal address'],
  ] as const) {
    await rapport.customers.defineAttribute(tenantId, key, type, label);
  }

  // Profiles first, through the same import path a company would use.
  const people = Array.from({ length: nCustomers }, (_, i) => {
    const isChinese = rand() < 0.62;
    const n = String(i).padStart(4, '0');
    if (isChinese) {
      const family = pick(SURNAMES),
        given = pick(GIVEN_ZH);
      return {
        identities: {
          email: `${PINYIN[family]}.${n}@example.cn`,
          phone: `+86139${String(10_000_000 + i * 37).slice(-8)}`,
          ...(rand() < 0.5 ? { wechat_openid: `oWx${n}demo${Math.floor(rand() * 1e6)}` } : {}),
        },
        given_name: given,
        family_name: family,
        display_name: `${family}${given}`,
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        attributes: {
          membership_tier: pick(['blue', 'blue', 'silver', 'gold', 'platinum']),
          home_airport: pick(['PEK', 'PVG', 'CAN', 'SZX']),
          ...(rand() < 0.7 ? { postal_address: pick(ADDRESSES_ZH) } : {}),
        },
      };
    }
    const first = pick(FIRST_EN),
      last = pick(LAST_EN);
    return {
      identities: { email: `${first}.${last}.${n}@example.com`.toLowerCase(), ...(rand() < 0.6 ? { phone: `+44770090${String(i).padStart(4, '0')}` } : {}) },
      given_name: first,
      family_name: last,
      display_name: `${first} ${last}`,
      locale: 'en',
      timezone: pick(['Europe/London', 'Asia/Singapore', 'America/New_York']),
      attributes: {
        membership_tier: pick(['blue', 'silver', 'gold']),
        home_airport: pick(['LHR', 'SIN', 'JFK']),
        ...(rand() < 0.7 ? { postal_address: `${1 + Math.floor(rand() * 200)} ${pick(ADDRESSES_EN)}` } : {}),
      },
    };
  });
  const ids: string[] = [];
  for (let i = 0; i < people.length; i += 500) {
    const r = await rapport.customers.importCustomers(tenantId, people.slice(i, i + 500), actor);
    const bad = r.find((x) => x.status === 'rejected');
    if (bad) throw new Error(`demo customer ${i + bad.index} rejected: ${JSON.stringify(bad.errors)}`);
    for (const x of r) ids[i + x.index] = x.customer_id!;
  }
  opts.log?.(`demo: ${people.length} customers`);

  // Then each customer's story, spread over the last year.
  const events: unknown[] = [];
  let seq = 0;
  const add = (p: number, type: string, at: number, properties: Record<string, unknown>) => {
    const who = people[p].identities;
    events.push({
      id: `demo-${String(seq++).padStart(6, '0')}`,
      type,
      occurred_at: new Date(Math.min(at, now - 60_000)).toISOString(),
      identities: rand() < 0.5 ? { email: who.email } : who,
      properties,
    });
  };
  let p = 0;
  while (events.length < nEvents) {
    const person = p++ % people.length;
    const joined = now - Math.floor(rand() * 360) * DAY;
    if (p <= people.length) add(person, 'sign_up', joined, { method: pick(['app', 'web', 'wechat_mini_program']) });
    let t = joined + Math.floor(rand() * 5) * DAY;
    const episodes = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < episodes && events.length < nEvents; e++) {
      t += Math.floor(rand() * 40 + 1) * DAY;
      add(person, 'page_view', t, { url: `https://air.example.com/flights/${pick(ROUTES)}`, title: 'Flight search' });
      add(person, 'app_action', t + 60_000, { action: pick(['search_flights', 'check_in', 'select_seat', 'view_boarding_pass']), screen: 'home' });
      if (rand() < 0.55) {
        const route = pick(ROUTES);
        const amount = Math.round(600 + rand() * 5200);
        const order = `FL-${seq}`;
        add(person, 'purchase', t + 300_000, {
          order_id: order,
          amount,
          currency: 'CNY',
          items: [{ sku: `FLIGHT-${route}`, name: `Flight ${route}`, category: 'flight', quantity: 1, price: amount }],
          store_id: 'online',
        });
        if (rand() < 0.25)
          add(person, 'purchase', t + 600_000, {
            order_id: `UP-${seq}`,
            amount: 880,
            currency: 'CNY',
            items: [{ sku: 'UPGRADE-BIZ', name: 'Business upgrade', category: 'upgrade', quantity: 1, price: 880 }],
            store_id: 'online',
          });
        // Only orders since the loyalty launch are refunded: a refund of an order that earned nothing
        // would be retried by loyalty's reconciliation pass (it rereads the last day's events) for ever.
        if (rand() < 0.08 && t + 300_000 >= now - LOYALTY_DAYS * DAY)
          add(person, 'refund', t + 3 * DAY, { order_id: order, amount, currency: 'CNY', reason: pick(['schedule change', 'illness', 'duplicate booking']) });
        const store = pick(STORES);
        add(person, 'location', t + 2 * DAY, {
          lat: store.lat + (rand() - 0.5) * 0.002,
          lng: store.lng + (rand() - 0.5) * 0.002,
          accuracy_m: 20,
          store_id: store.id,
        });
        if (rand() < 0.45) {
          const item = pick(RETAIL);
          const qty = 1 + Math.floor(rand() * 2);
          add(person, 'purchase', t + 2 * DAY + 900_000, {
            order_id: `DF-${seq}`,
            amount: item.price * qty,
            currency: 'CNY',
            items: [{ ...item, quantity: qty }],
            store_id: store.id,
          });
        }
      }
      if (rand() < 0.12) {
        const app = `APP-${seq}`;
        add(person, 'application_started', t + DAY, { application_id: app, product: 'co-branded credit card' });
        if (rand() < 0.6) add(person, 'application_completed', t + DAY + 1_200_000, { application_id: app, product: 'co-branded credit card' });
      }
      if (rand() < 0.3) add(person, 'bill_issued', t + 10 * DAY, { bill_id: `BILL-${seq}`, amount: Math.round(200 + rand() * 3000), currency: 'CNY' });
    }
  }
  events.length = nEvents;
  const leavers = findLeavers(events, now);
  // History is ingested in the order it happened, and the loyalty programme launched 90 days ago:
  // from then on purchases earn points as they are ingested, as in a live shop.
  const launch = new Date(now - LOYALTY_DAYS * DAY).toISOString();
  const at = (e: unknown) => (e as { occurred_at: string }).occurred_at;
  events.sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  const history = events.filter((e) => at(e) < launch);
  const live = events.filter((e) => at(e) >= launch);
  let stored = 0;
  const ingest = async (list: unknown[]) => {
    for (let i = 0; i < list.length; i += 500) {
      const r = await rapport.events.ingest(tenantId, list.slice(i, i + 500), { source: 'import', actor });
      if (r.rejected) throw new Error(`demo events rejected: ${JSON.stringify(r.results.find((x) => x.status === 'rejected'))}`);
      stored += r.accepted + r.duplicates;
    }
  };
  await ingest(history);
  await rapport.bus.drain();
  // A point per yuan, more on duty-free beauty, three tiers over the programme's 90 days, and rewards.
  await rapport.loyalty.setProgram(
    tenantId,
    LoyaltyProgram.parse({
      point_value: 0.01,
      expiry: { policy: 'end_of_year', years: 2 },
      purchase: { base_rate: 1, rates: [{ id: 'beauty', category: 'beauty', rate: 2 }] },
      engagement: { survey: { points: 50, max_per_month: 2 }, review: { points: 100, max_per_month: 1 }, check_in: { points: 10, max_per_day: 1 } },
      tiers: [
        { id: 'silver', name: 'Silver', threshold: 2000 },
        { id: 'gold', name: 'Gold', threshold: 6000, earn_multiplier: 1.25, priority_routing: true },
        { id: 'platinum', name: 'Platinum', threshold: 15000, earn_multiplier: 1.5, priority_routing: true },
      ],
    }),
  );
  for (const reward of REWARDS) await rapport.loyalty.createReward(tenantId, reward);
  await ingest(live);
  opts.log?.(`demo: ${stored} events`);
  // Points from the purchases are given by the loyalty module's subscriber: wait for them.
  await rapport.bus.drain();
  await rapport.customers.recomputeValue(tenantId);
  if (opts.story !== false) {
    const customers: DemoCustomer[] = people.map((x, i) => ({
      id: ids[i],
      isChinese: x.locale === 'zh-CN',
      name: x.display_name,
      identities: x.identities,
      isLeaver: leavers.has(x.identities.email),
    }));
    await seedStory({ r: rapport, tenantId, now, rand, pick, customers, scale: Math.min(1, people.length / 2000), actor, log: opts.log ?? (() => undefined) });
  }
  // The planner's statistics predate what was just loaded; autovacuum analyses only after its own
  // delay, and until then every probe for this tenant is planned as if it had no rows (the inbox's
  // slow first minute). The demo is a bulk load: give the planner the figures now.
  await rapport.db.pool.query('ANALYZE');
  return { customers: people.length, events: stored };
}
