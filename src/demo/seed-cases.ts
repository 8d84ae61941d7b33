// The demo's closed loop over the last three months: complaints in every state (new, contacted,
// resolved with the customer told, won't fix), handled by the manager so agent time (and so the cost
// of a complaint) is on record, and two systemic issues — a baggage belt fault at Pudong T2 that was
// fixed and every affected customer told, and a refund backlog still open. Before that, complaints
// worked and resolved three to six months ago, three in four from customers who then left
// (find-leavers.ts): a complaint before the churn model's cutoff is part of why customers leave.
import { queryRow, rowOf } from '../platform/query-rows.js';
import { users } from '../platform/schema.js';
import type { Story } from './seed-story.js';
import { DAY, HOUR, inSlices, rng } from './seed-story.js';
import { CHURN_WINDOW_DAYS } from './find-leavers.js';

/** Complaints before the cutoff in the full demo, and the share of them from customers who then left. */
const EARLIER_COMPLAINTS = 40;
const EARLIER_FROM_LEAVERS = 0.75;

const KINDS = [
  { type: 'lost_baggage', touchpoint: 'airport', topics: ['baggage'], zh: '行李未到，已等待两天', en: 'Bag did not arrive, two days waiting' },
  { type: 'refund_delay', touchpoint: 'refund', topics: ['refund'], zh: '退款超过两周未到账', en: 'Refund not received after two weeks' },
  { type: 'flight_delay', touchpoint: 'flight', topics: ['waiting_time'], zh: '航班延误五小时无人安排', en: 'Five-hour delay and no care offered' },
  { type: 'service', touchpoint: 'service_chat', topics: ['service_attitude'], zh: '客服态度敷衍', en: 'The agent was dismissive' },
] as const;

export async function seedCases(s: Story): Promise<string> {
  const { r, tenantId, rand, pick } = s;
  const manager = await queryRow(r.db.pool, rowOf(users, ['id']), `SELECT id FROM users WHERE tenant_id = $1 AND email = 'manager@demo.rapport.dev'`, [
    tenantId,
  ]);
  const actor = manager ? { type: 'user' as const, id: manager.id } : s.actor;
  // Notices of the demo's story were "sent" when they happened: nothing leaves for the demo's invented
  // addresses, whatever mail relay the server has.
  const relay = r.loop.setDelivery('email', async () => undefined);
  try {
    type Planned = {
      kind: (typeof KINDS)[number];
      at: number;
      c: (typeof s.customers)[number];
      state: 'new' | 'contacted' | 'resolved' | 'wont_fix' | 'belt' | 'backlog';
      /** The generator of this case's own draws (the earlier complaints have theirs: the rest of the story stays as it was). */
      draw: () => number;
    };
    const plan: Planned[] = [];
    const add = (n: number, state: Planned['state'], from: number, to: number, kind?: (typeof KINDS)[number]) => {
      for (let i = 0; i < n; i++)
        plan.push({
          kind: kind ?? pick(KINDS),
          at: s.now - (from + rand() * (to - from)) * DAY,
          c: s.customers[Math.floor(rand() * s.customers.length)],
          state,
          draw: rand,
        });
    };
    add(34, 'resolved', 8, 90);
    add(4, 'wont_fix', 10, 80);
    add(11, 'contacted', 1, 8);
    add(6, 'new', 0.05, 0.4);
    add(3, 'new', 1.5, 3);
    add(12, 'belt', 22, 32, KINDS[0]);
    add(6, 'backlog', 2, 12, KINDS[1]);
    const earlier = rng(0xca5e5);
    const leavers = s.customers.filter((c) => c.isLeaver);
    const among = (cs: typeof s.customers) => cs[Math.floor(earlier() * cs.length)];
    for (let i = 0; i < Math.round(EARLIER_COMPLAINTS * s.scale); i++)
      plan.push({
        kind: KINDS[Math.floor(earlier() * KINDS.length)],
        at: s.now - (CHURN_WINDOW_DAYS + 5 + earlier() * 80) * DAY,
        c: leavers.length && earlier() < EARLIER_FROM_LEAVERS ? among(leavers) : among(s.customers),
        state: 'resolved',
        draw: earlier,
      });
    const ids = new Map<Planned, string>();
    await inSlices(plan, 20, async (p, i) => {
      const zh = p.c.isChinese;
      const id = await r.loop.openFromSignal(
        tenantId,
        'complaint',
        {},
        {
          type: p.kind.type,
          sourceType: 'manual',
          sourceId: `demo-case-${i}`,
          customerId: p.c.id,
          summary: zh ? p.kind.zh : p.kind.en,
          text: zh ? p.kind.zh : p.kind.en,
          touchpoint: p.kind.touchpoint,
          topics: [...p.kind.topics],
          priority: i % 7 === 0 ? 'high' : 'normal',
          at: new Date(p.at),
        },
      );
      if (id) ids.set(p, id);
    });
    for (const [p, id] of ids) {
      const zh = p.c.isChinese;
      if (p.state === 'new') continue;
      await r.loop.recordContact(
        tenantId,
        id,
        { channel: 'phone', body: zh ? '已致电客户，说明处理进度' : 'Called the customer and explained the next steps' },
        actor,
        new Date(p.at + (1 + p.draw() * 5) * HOUR),
      );
      if (p.state === 'resolved') {
        await r.loop.resolveCase(
          tenantId,
          id,
          { resolution: zh ? '已补偿 2000 积分并致歉' : 'Apologised and added 2,000 points', notify: true },
          actor,
          new Date(p.at + (1 + p.draw() * 4) * DAY),
        );
      } else if (p.state === 'wont_fix') {
        await r.loop.wontFix(
          tenantId,
          id,
          zh ? '属于天气原因，按规定不予赔偿' : 'Weather delay: outside the compensation rules',
          actor,
          new Date(p.at + 2 * DAY),
        );
      }
    }
    const belt = await r.loop.createIssue(tenantId, {
      title: '浦东 T2 行李转盘故障 / Pudong T2 baggage belt fault',
      rootCause: 'A sorter fault at PVG T2 left bags behind for three weeks',
    });
    await r.loop.linkCases(
      tenantId,
      belt,
      plan.filter((p) => p.state === 'belt' && ids.has(p)).map((p) => ids.get(p)!),
    );
    await r.loop.fixIssue(
      tenantId,
      belt,
      {
        action: 'Sorter replaced and belt staffing doubled',
        message: {
          subject: '您的行李问题已解决 / Your baggage issue is fixed',
          body: '浦东 T2 的行李分拣设备已更换，感谢您的耐心。/ The baggage sorter at Pudong T2 has been replaced. Thank you for your patience.',
        },
      },
      actor,
      new Date(s.now - 18 * DAY),
    );
    const backlog = await r.loop.createIssue(tenantId, {
      title: '退款处理积压 / Refund backlog',
      rootCause: 'Refunds of cancelled flights wait for manual approval',
    });
    await r.loop.linkCases(
      tenantId,
      backlog,
      plan.filter((p) => p.state === 'backlog' && ids.has(p)).map((p) => ids.get(p)!),
    );
    return `${ids.size} cases and 2 systemic issues (one fixed and its customers told)`;
  } finally {
    r.loop.setDelivery('email', relay);
  }
}
