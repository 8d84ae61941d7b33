// The rest of the demo tenant's story, after its customers and events: the service desk and its
// conversations, a year of surveys, closed-loop cases with a systemic issue, public mentions with a past
// crisis, the knowledge base and help centre, outreach, and analytics computed before the server says it
// is ready. Everything is dated relative to the clock's now and drawn from the seeded generator, and goes
// through the modules' doors in batches; where a door would send something for real (an agent's SMS
// reply, a campaign email) the demo writes the outcome a provider would have reported instead.
import type { Rapport } from '../app.js';
import type { Actor } from '../platform/audit.js';
import { seedInbox } from './seed-inbox.js';
import { seedSurveys } from './seed-surveys.js';
import { seedCases } from './seed-cases.js';
import { seedMentions } from './seed-mentions.js';
import { seedKnowledge } from './seed-knowledge.js';
import { seedOutreach } from './seed-outreach.js';

export interface DemoCustomer {
  id: string;
  isChinese: boolean;
  name: string;
  identities: { email: string; phone?: string; wechat_openid?: string };
  /** Active at T−90 days and no purchase since (find-leavers.ts): the churn model's positive label. */
  isLeaver: boolean;
}

export interface Story {
  r: Rapport;
  tenantId: string;
  /** The clock's now in milliseconds: every date of the story is before it. */
  now: number;
  rand: () => number;
  pick: <T>(a: readonly T[]) => T;
  customers: DemoCustomer[];
  /** 1 for the full demo; a smaller demo (tests seed a hundred customers) tells a shorter story. */
  scale: number;
  actor: Actor;
  log: (msg: string) => void;
}

export const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for demo data. */
export function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const HOUR = 3_600_000;

/** Runs `fn` over `items` a slice at a time, the slice's calls side by side (they commit together). */
export async function inSlices<T>(items: readonly T[], size: number, fn: (x: T, i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((x, j) => fn(x, i + j)));
}

export async function seedStory(s: Story): Promise<void> {
  const step = async (fn: () => Promise<string>) => {
    const t0 = performance.now();
    const what = await fn();
    s.log(`demo: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  // The company worked complaints by hand until now: a year of history opens no case by itself. The
  // rules that open cases from detractors, low CSAT and negative posts are switched on after it.
  await s.r.loop.createRule(s.tenantId, { name: '投诉 Complaint', signal: 'complaint', condition: {}, caseType: 'complaint' });
  const knowledge = await seedKnowledge(s);
  s.log(`demo: ${knowledge.articles} knowledge articles, help centre, content gaps and a guided script`);
  await step(() => seedInbox(s, knowledge));
  await step(() => seedSurveys(s));
  await step(() => seedCases(s));
  await step(() => seedMentions(s));
  await step(() => seedOutreach(s));
  await s.r.bus.drain();
  await s.r.loop.createRule(s.tenantId, {
    name: 'NPS 贬损者 Detractor',
    signal: 'response',
    condition: { kinds: ['nps'], max_score: 6 },
    caseType: 'detractor',
  });
  await s.r.loop.createRule(s.tenantId, { name: 'CSAT 1-2', signal: 'response', condition: { kinds: ['csat'], max_score: 2 }, caseType: 'low_csat' });
  await s.r.loop.createRule(s.tenantId, {
    name: '负面舆情 Negative post',
    signal: 'mention',
    condition: { sentiment: 'negative', about_company: true },
    caseType: 'negative_mention',
  });
  // Every dashboard has figures on first sight: the roll-ups are built before the server listens, as of
  // the clock's now at the end of the seed (the story's now is its start: the points, cases and answers
  // written since would be left out, and the loyalty figures would disagree with the ledger's).
  await step(async () => {
    const out = await s.r.analytics.refresh(s.tenantId, s.r.clock.now(), { mode: 'full' });
    return `analytics computed (${out.mode})`;
  });
}
