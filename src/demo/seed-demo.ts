// The demo tenant's data: about 2,000 customers (Chinese and English names) and 50,000 events telling
// an airline-with-retail story — sign-ups, browsing, flights and upgrades, duty-free shopping, a
// credit-card application some abandon, monthly bills, refunds and visits to stores. Deterministic:
// the same seed gives the same data.
import type { Rapport } from '../app.js';
import { makeDemoCustomers } from './make-demo-customers.js';
import { makeDemoEvents } from './make-demo-events.js';
import { LOYALTY_DAYS, seedLoyalty } from './seed-loyalty.js';
import { seedStory, rng, type DemoCustomer } from './seed-story.js';
import { findLeavers } from './find-leavers.js';

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
  const people = makeDemoCustomers(nCustomers, rand);
  const ids: string[] = [];
  for (let i = 0; i < people.length; i += 500) {
    const r = await rapport.customers.importCustomers(tenantId, people.slice(i, i + 500), actor);
    const bad = r.find((x) => x.status === 'rejected');
    if (bad) throw new Error(`demo customer ${i + bad.index} rejected: ${JSON.stringify(bad.errors)}`);
    for (const x of r) ids[i + x.index] = x.customer_id!;
  }
  opts.log?.(`demo: ${people.length} customers`);

  // Then each customer's story, spread over the last year.
  const events = makeDemoEvents(people, nEvents, now, rand);
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
  await seedLoyalty(rapport, tenantId);
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
