// The loyalty jobs: lots settled every ten minutes (release, expiry), expiry warnings daily, the tier
// review monthly and on request, and the reconciliation of ingested events every minute.
import type { LoyaltyContext } from './loyalty-context.js';
import { runExpiry, warnExpiring } from './expire-points.js';
import { reviewTiers } from './review-tiers.js';
import { reconcileEvents } from './reconcile-events.js';
import { runTierReview, TIER_REVIEW_JOB } from './request-tier-review.js';

export async function scheduleLoyaltyJobs(lc: LoyaltyContext) {
  const { jobs, pool, clock, bus, events, log } = lc;
  await jobs.define(
    'loyalty-expire-points',
    async () => {
      const r = await runExpiry(pool, clock.now());
      if (r.accounts) log.info(r, 'loyalty lots settled');
    },
    { cron: '*/10 * * * *' },
  );
  await jobs.define(
    'loyalty-warn-expiring',
    async () => {
      for (const t of await lc.allTenants()) {
        const { program } = await lc.programOf(t);
        bus.publish(await warnExpiring(pool, t, program, (tx, tenant, entries) => events.append(tx, tenant, entries), clock.now()));
      }
    },
    { cron: '7 4 * * *' },
  );
  await jobs.define(
    'loyalty-review-tiers',
    async () => {
      for (const t of await lc.allTenants()) {
        const { program } = await lc.programOf(t);
        if (program.tiers.length) await reviewTiers(lc, t);
      }
    },
    { cron: '23 3 1 * *' },
  );
  await jobs.define<{ tenantId: string; reviewId: string }>(TIER_REVIEW_JOB, async ({ tenantId, reviewId }) => {
    await runTierReview(pool, clock, tenantId, reviewId, (t, now) => reviewTiers(lc, t, now));
  });
  await jobs.define(
    'loyalty-reconcile-events',
    async () => {
      for (const t of await lc.allTenants()) await reconcileEvents(lc, t);
    },
    { cron: '* * * * *' },
  );
}
