// The customers module's jobs: every tenant's customer value, nightly and on demand.
import type { ModuleContext } from '../../platform/context.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { tenants } from '../../platform/schema.js';

export async function scheduleJobs(ctx: ModuleContext, recomputeValue: (tenantId: string) => Promise<{ customers: number; core: number }>) {
  // Nightly, and on demand with {tenantId}: every tenant's customer value.
  await ctx.jobs.define<{ tenantId?: string }>(
    'customers-compute-value',
    async (data) => {
      const ids = data.tenantId
        ? [data.tenantId]
        : (await queryRows(ctx.db.pool, rowOf(tenants, ['tenant_id']), 'SELECT tenant_id FROM tenants')).map((r) => r.tenant_id);
      for (const t of ids) {
        const r = await recomputeValue(t);
        ctx.log.info({ tenant: t, ...r }, 'customer value recomputed');
      }
    },
    { cron: '17 3 * * *' },
  );
}
