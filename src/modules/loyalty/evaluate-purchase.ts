// How many points a purchase earns, and why. The order is fixed and is the documented contract:
//
//   1. rate      each line (or the whole amount when the purchase has no priced items) takes the most
//                specific purchase rate whose conditions all hold (tier, category, store; more conditions
//                win, ties go to the earlier rule); no match takes base_rate. Lines share the purchase
//                amount in proportion to their price x quantity, so discounts apply pro rata.
//   2. tier      the customer's tier multiplies everything (earn_multiplier).
//   3. campaigns every campaign whose date range holds the purchase time and whose conditions hold
//                multiplies the lines it covers; several campaigns multiply together.
//   4. rounding  the total is rounded down to whole points.
//   5. caps      per_purchase, then per_customer_per_day (what purchases already earned that UTC day).
//
// Pure: the caller supplies the customer's tier and today's purchase points.
import type { Program } from './program.js';

export interface PurchaseInput {
  amount: number;
  store_id?: string;
  items?: { category?: string; price?: number; quantity?: number }[];
  occurred_at: Date;
}

export interface RuleStep {
  step: 'rate' | 'tier' | 'campaign' | 'rounding' | 'cap';
  rule: string;
  fired: boolean;
  reason: string;
  points: number;
}

export interface PurchaseEvaluation {
  points: number;
  steps: RuleStep[];
}

interface Line {
  category?: string;
  amount: number;
  points: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function linesOf(p: PurchaseInput): Line[] {
  const priced = (p.items ?? []).map((i) => ({ category: i.category, total: (i.price ?? 0) * (i.quantity ?? 1) })).filter((i) => i.total > 0);
  const sum = priced.reduce((s, i) => s + i.total, 0);
  if (!priced.length || sum <= 0) return [{ amount: p.amount, points: 0 }];
  return priced.map((i) => ({ category: i.category, amount: (p.amount * i.total) / sum, points: 0 }));
}

export function evaluatePurchase(program: Program, p: PurchaseInput, ctx: { tier?: string | null; pointsToday?: number }): PurchaseEvaluation {
  const steps: RuleStep[] = [];
  const tier = ctx.tier ?? undefined;
  const lines = linesOf(p);
  const total = () => round2(lines.reduce((s, l) => s + l.points, 0));

  // 1. rate
  for (const line of lines) {
    let best: { id: string; rate: number; specificity: number } | undefined;
    for (const r of program.purchase.rates) {
      const misses: string[] = [];
      if (r.tier !== undefined && r.tier !== tier) misses.push(`tier is ${tier ?? 'none'}, rule needs ${r.tier}`);
      if (r.category !== undefined && r.category !== line.category) misses.push(`category is ${line.category ?? 'none'}, rule needs ${r.category}`);
      if (r.store_id !== undefined && r.store_id !== p.store_id) misses.push(`store is ${p.store_id ?? 'none'}, rule needs ${r.store_id}`);
      const specificity = (r.tier !== undefined ? 1 : 0) + (r.category !== undefined ? 1 : 0) + (r.store_id !== undefined ? 1 : 0);
      if (misses.length) {
        steps.push({ step: 'rate', rule: r.id, fired: false, reason: misses.join('; '), points: 0 });
        continue;
      }
      if (!best || specificity > best.specificity) best = { id: r.id, rate: r.rate, specificity };
    }
    const rate = best?.rate ?? program.purchase.base_rate;
    line.points = line.amount * rate;
    steps.push({
      step: 'rate',
      rule: best?.id ?? 'base_rate',
      fired: true,
      reason: `${round2(line.amount)}${line.category ? ` in ${line.category}` : ''} x ${rate} per unit${best ? ' (most specific matching rate)' : ' (no purchase rate matched)'}`,
      points: round2(line.points),
    });
  }

  // 2. tier
  const t = tier ? program.tiers.find((x) => x.id === tier) : undefined;
  if (t && t.earn_multiplier !== 1) {
    for (const l of lines) l.points *= t.earn_multiplier;
    steps.push({ step: 'tier', rule: t.id, fired: true, reason: `tier ${t.name} earns x ${t.earn_multiplier}`, points: total() });
  } else {
    steps.push({ step: 'tier', rule: tier ?? 'none', fired: false, reason: t ? `tier ${t.name} has no multiplier` : 'no tier', points: total() });
  }

  // 3. campaigns
  for (const c of program.purchase.campaigns) {
    const at = p.occurred_at.getTime();
    const misses: string[] = [];
    if (at < Date.parse(c.starts_at) || at >= Date.parse(c.ends_at))
      misses.push(`purchase at ${p.occurred_at.toISOString()} is outside ${c.starts_at} - ${c.ends_at}`);
    if (c.tier !== undefined && c.tier !== tier) misses.push(`tier is ${tier ?? 'none'}, campaign needs ${c.tier}`);
    if (c.store_id !== undefined && c.store_id !== p.store_id) misses.push(`store is ${p.store_id ?? 'none'}, campaign needs ${c.store_id}`);
    const covered = lines.filter((l) => c.category === undefined || l.category === c.category);
    if (!covered.length) misses.push(`no line in category ${c.category}`);
    if (misses.length) {
      steps.push({ step: 'campaign', rule: c.id, fired: false, reason: misses.join('; '), points: total() });
      continue;
    }
    for (const l of covered) l.points *= c.multiplier;
    steps.push({ step: 'campaign', rule: c.id, fired: true, reason: `x ${c.multiplier}${c.category ? ` on ${c.category}` : ''}`, points: total() });
  }

  // 4. rounding: a tiny epsilon keeps 2.3 x 100 = 229.99999999999997 at 230.
  let points = Math.max(0, Math.floor(lines.reduce((s, l) => s + l.points, 0) + 1e-9));
  steps.push({ step: 'rounding', rule: 'floor', fired: true, reason: 'rounded down to whole points', points });

  // 5. caps
  const caps = program.purchase.caps;
  if (caps.per_purchase !== undefined) {
    const fired = points > caps.per_purchase;
    points = Math.min(points, caps.per_purchase);
    steps.push({ step: 'cap', rule: 'per_purchase', fired, reason: `at most ${caps.per_purchase} per purchase`, points });
  }
  if (caps.per_customer_per_day !== undefined) {
    const left = Math.max(0, caps.per_customer_per_day - (ctx.pointsToday ?? 0));
    const fired = points > left;
    points = Math.min(points, left);
    steps.push({
      step: 'cap',
      rule: 'per_customer_per_day',
      fired,
      reason: `at most ${caps.per_customer_per_day} a day from purchases; ${ctx.pointsToday ?? 0} already earned today`,
      points,
    });
  }
  return { points, steps };
}
