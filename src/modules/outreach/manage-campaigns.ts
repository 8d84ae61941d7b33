// Campaigns: a saved segment and a template; planning claims a draft once and plans every member's
// message in set-based SQL (plan-campaign.ts), which the dispatcher then sends at the throttle's pace.
import { newId } from '../../platform/ids.js';
import { getTemplate } from './manage-templates.js';
import { missingVariables } from './render-template.js';
import { missingReason } from './plan-message.js';
import { planCampaign, campaignMessagePrefix } from './plan-campaign.js';
import { parseRules } from './manage-segments.js';
import { templateNotFound, segmentNotFound, campaignNotFound, campaignNotDraft } from './errors.js';
import { iso, type OutreachContext } from './outreach-context.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachCampaigns, outreachMessages, outreachSegments } from './schema.js';

const Campaign = rowOf(outreachCampaigns, '*');
const StatusCount = rowOf(outreachMessages, ['status']).and<{ n: number }>(['n']);

export async function createCampaign(oc: OutreachContext, tenantId: string, input: { name: string; segment_id: string; template_id: string }) {
  const { pool } = oc;
  if (!(await getTemplate(pool, tenantId, input.template_id))) throw templateNotFound();
  const { rows } = await pool.query('SELECT 1 FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, input.segment_id]);
  if (!rows.length) throw segmentNotFound();
  const id = newId('cmp');
  await pool.query('INSERT INTO outreach_campaigns (tenant_id, id, name, segment_id, template_id) VALUES ($1,$2,$3,$4,$5)', [
    tenantId,
    id,
    input.name,
    input.segment_id,
    input.template_id,
  ]);
  return id;
}

/** A campaign with its messages counted by status now (the plan's figures are kept in stats). */
export async function getCampaign(oc: OutreachContext, tenantId: string, id: string) {
  const r = await queryRow(oc.pool, Campaign, 'SELECT * FROM outreach_campaigns WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) return undefined;
  const counts = await queryRows(
    oc.pool,
    StatusCount,
    `SELECT status, count(*)::int AS n FROM outreach_messages WHERE tenant_id = $1 AND campaign_id = $2 AND id >= $3 AND id < $3 || '~' GROUP BY status`,
    [tenantId, id, campaignMessagePrefix(id)],
  );
  return { ...campaignOut(r), delivery: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number> };
}

export async function listCampaigns(oc: OutreachContext, tenantId: string) {
  const rows = await queryRows(oc.pool, Campaign, 'SELECT * FROM outreach_campaigns WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT 1000', [tenantId]);
  return rows.map(campaignOut);
}

/** Plans every message of the campaign in set-based SQL; the dispatcher then sends them, throttled. */
export async function planCampaignMessages(oc: OutreachContext, tenantId: string, id: string, at: Date = oc.now()) {
  const { pool } = oc;
  const c = await queryRow(
    pool,
    Campaign,
    `UPDATE outreach_campaigns SET status = 'planning' WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING *`,
    [tenantId, id],
  );
  if (!c) {
    if (!(await pool.query('SELECT 1 FROM outreach_campaigns WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rows.length) throw campaignNotFound();
    throw campaignNotDraft();
  }
  try {
    const [template, seg, s] = await Promise.all([
      getTemplate(pool, tenantId, c.template_id),
      queryRow(pool, rowOf(outreachSegments, ['rules']), 'SELECT rules FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, c.segment_id]),
      oc.settings(tenantId),
    ]);
    const stats = await planCampaign(
      pool,
      tenantId,
      {
        campaignId: id,
        templateId: template!.id,
        purpose: template!.purpose,
        templateChannels: template!.channels,
        // The segment's foreign key keeps it while the campaign exists.
        rules: parseRules(seg!.rules),
        reason: `campaign: ${c.name}`,
        // A campaign passes no variables of its own: a template that requires some cannot be filled for anyone.
        skipReason: ((m) => (m.length ? missingReason(m) : null))(missingVariables(template!.variables, {})),
      },
      s,
      at,
    );
    await pool.query(`UPDATE outreach_campaigns SET status = 'planned', planned_at = $3, stats = $4 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
      at,
      JSON.stringify(stats),
    ]);
    return { ...campaignOut({ ...c, status: 'planned', planned_at: at, stats }) };
  } catch (err) {
    await pool.query(`UPDATE outreach_campaigns SET status = 'draft' WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    throw err;
  }
}

function campaignOut(c: typeof Campaign.row) {
  return {
    id: c.id,
    name: c.name,
    segment_id: c.segment_id,
    template_id: c.template_id,
    status: c.status,
    planned_at: iso(c.planned_at),
    stats: c.stats as Record<string, unknown>,
    created_at: iso(c.created_at)!,
  };
}
