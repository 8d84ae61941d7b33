// Surveys waiting for a customer in the widget (issued for the widget, not answered, not expired), as
// the pop-in shows them. The widget asks on every connection, so a survey triggered while the visitor
// was away is shown on their next page.
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { surveyInvitations } from './schema.js';
import { signLink } from './sign-link.js';
import { presentInWidget, type WidgetSurvey } from './present-in-widget.js';

const Waiting = rowOf(surveyInvitations, ['id', 'survey_id', 'survey_version', 'expires_at']).and<{ kind: string }>(['kind']);

export async function listWidgetSurveys(
  deps: FeedbackDeps,
  tenantId: string,
  q: { customerId?: string; invitationId?: string },
  now: Date = deps.clock.now(),
): Promise<WidgetSurvey[]> {
  if (!q.customerId && !q.invitationId) return [];
  const rows = await queryRows(
    deps.pool,
    Waiting,
    `SELECT i.id, i.survey_id, i.survey_version, i.expires_at, s.kind FROM survey_invitations i JOIN surveys s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id
      WHERE i.tenant_id = $1 AND ($2::text IS NULL OR i.customer_id = $2) AND ($3::text IS NULL OR i.id = $3)
        AND i.channel = 'widget' AND i.status IN ('issued', 'partial') AND i.expires_at > $4 AND s.status = 'active'
      ORDER BY i.created_at DESC LIMIT 3`,
    [tenantId, q.customerId ?? null, q.invitationId ?? null, now],
  );
  const key = rows.length ? await deps.linkKeys.of(tenantId) : '';
  const out: WidgetSurvey[] = [];
  for (const r of rows) {
    const token = signLink(key, { t: tenantId, i: r.id, k: 'inv', e: Math.floor(r.expires_at.getTime() / 1000) });
    out.push(presentInWidget(await deps.caches.definition(tenantId, r.survey_id, r.survey_version), r.kind, r.id, token));
  }
  return out;
}
