// Who in the demo leaves, in the churn model's sense (docs/churn-model.md): a customer with a purchase in
// the 90 days before the cutoff T−90 days (T being the seed's now) and none after it. The story reads
// this to give those customers a worse experience before the cutoff (seed-surveys.ts, seed-cases.ts):
// behaviour alone does not decide who leaves the demo's airline, and the model has to find both.

/** The churn model's lapse line and label window (analytics' LAPSE_DAYS). */
export const CHURN_WINDOW_DAYS = 90;
const DAY = 86_400_000;

interface DemoEvent {
  type: string;
  occurred_at: string;
  identities: { email: string };
}

/** The emails of the customers who are active at T−90 days and buy nothing in the 90 days after. */
export function findLeavers(events: readonly unknown[], now: number): Set<string> {
  const cutoff = now - CHURN_WINDOW_DAYS * DAY;
  const isActive = new Set<string>();
  const cameBack = new Set<string>();
  for (const x of events) {
    const e = x as DemoEvent;
    if (e.type !== 'purchase') continue;
    const at = Date.parse(e.occurred_at);
    if (at > cutoff) cameBack.add(e.identities.email);
    else if (at > cutoff - CHURN_WINDOW_DAYS * DAY) isActive.add(e.identities.email);
  }
  return new Set([...isActive].filter((email) => !cameBack.has(email)));
}
