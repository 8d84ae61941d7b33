// Loyalty statements: each member's figures for a period (from the loyalty module, a page at a time)
// planned as a message through the statement template, queued as a job, scheduled monthly or
// quarterly by the tenant's settings, or printed as post-ready PDF pages.
import { getTenantName } from '../../platform/tenancy.js';
import { getTemplate } from './manage-templates.js';
import { renderStatementsPdf, type StatementPage } from './statement-pdf.js';
import { sendMessage, derivedMessageId } from './send-message.js';
import { templateNotFound } from './errors.js';
import type { OutreachContext } from './outreach-context.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachSettings } from './schema.js';
import type { OutreachSettings } from './settings.js';

/** The statement period that ends at `at` when `at` falls on a period's first day (UTC), else null. */
export function statementPeriodEnding(at: Date, every: 'month' | 'quarter'): { from: Date; to: Date } | null {
  if (at.getUTCDate() !== 1) return null;
  const months = every === 'quarter' ? 3 : 1;
  if (at.getUTCMonth() % months !== 0) return null;
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return { from: new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - months, 1)), to };
}

/**
 * Plans each member's loyalty statement for [from, to) through the statement template. A member
 * gets one statement per template and period however often this runs (the message id is derived
 * from them), so a retried or overlapping run plans nothing twice.
 */
export async function sendLoyaltyStatements(oc: OutreachContext, tenantId: string, templateId: string, period: { from: Date; to: Date }, at: Date = oc.now()) {
  const out = { planned: 0, already: 0, failed: 0 };
  if (!(await getTemplate(oc.pool, tenantId, templateId))) throw templateNotFound();
  const days = `${period.from.toISOString().slice(0, 10)}..${period.to.toISOString().slice(0, 10)}`;
  for await (const s of oc.loyaltyStatements(tenantId, period)) {
    const id = derivedMessageId(`statement|${tenantId}|${templateId}|${s.customer_id}|${s.from}|${s.to}`);
    try {
      const m = await sendMessage(
        oc,
        tenantId,
        { id, customerId: s.customer_id, templateId, reason: `loyalty statement ${days}`, variables: { statement: s } },
        at,
      );
      if (m.isReplay) out.already++;
      else out.planned++;
    } catch (err) {
      out.failed++;
      oc.log.warn({ err: (err as Error).message, customer: s.customer_id }, 'statement not planned');
    }
  }
  return out;
}

export async function queueStatements(oc: OutreachContext, tenantId: string, templateId: string, period: { from: Date; to: Date }) {
  if (!(await getTemplate(oc.pool, tenantId, templateId))) throw templateNotFound('No such template', [{ field: 'template_id', message: 'no such template' }]);
  await oc.jobs.send('outreach-statements', { tenantId, templateId, from: period.from.toISOString(), to: period.to.toISOString() });
}

/** Post-ready statements: one A4 page per member, `limit` members per file from the `after` cursor. */
export async function statementsPdf(
  oc: OutreachContext,
  tenantId: string,
  period: { from: Date; to: Date },
  opts: { customerIds?: string[]; after?: string; limit: number },
) {
  const statements: StatementPage[] = [];
  for await (const s of oc.loyaltyStatements(tenantId, period, { customerIds: opts.customerIds, after: opts.after })) {
    statements.push(s);
    if (statements.length >= opts.limit) break;
  }
  const [s, profiles, company] = await Promise.all([
    oc.settings(tenantId),
    oc.customers.readContactProfiles(
      tenantId,
      statements.map((x) => x.customer_id),
    ),
    getTenantName(oc.pool, tenantId),
  ]);
  const doc = renderStatementsPdf(statements, profiles, { company: company ?? '', defaultLocale: s.defaultLocale, timeZone: s.defaultTimezone });
  return { ...doc, next: statements.length >= opts.limit ? statements[statements.length - 1].customer_id : null };
}

/** The periodic run: on the first day of a period, every tenant with a statement schedule (or the one named) gets last period's statements. */
export async function runScheduledStatements(oc: OutreachContext, at: Date = oc.now(), tenantId?: string) {
  const rows = await queryRows(
    oc.pool,
    rowOf(outreachSettings, ['tenant_id', 'statements']),
    `SELECT tenant_id, statements FROM outreach_settings WHERE statements IS NOT NULL AND ($1::text IS NULL OR tenant_id = $1)`,
    [tenantId ?? null],
  );
  let planned = 0;
  for (const r of rows) {
    // The settings area's schema wrote it; the query kept only the tenants that have one.
    const schedule = r.statements as NonNullable<OutreachSettings['statements']>;
    const period = statementPeriodEnding(at, schedule.every);
    if (!period) continue;
    planned += (
      await sendLoyaltyStatements(oc, r.tenant_id, schedule.template_id, period, at).catch((err) => {
        oc.log.warn({ err: (err as Error).message, tenant: r.tenant_id }, 'scheduled statements failed');
        return { planned: 0 };
      })
    ).planned;
  }
  return planned;
}
