// Survey responses and their text analysis become cases, a batch at a time. A response analysed before
// it was written arrives with its reading in the same batch: its case is decided once, with both. A
// reading of a response written earlier (re-processing) adds topics to its case, or opens one.
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { LoopDeps } from './loop-deps.js';
import { matchRule, routeCase, type CaseRule } from './case-rules.js';
import { openCases } from './open-signal-cases.js';
import { cases as casesTable } from './schema.js';

/** A submitted response, as the loop reads it (feedback's ResponseSubmitted). */
export type ResponseSignal = {
  responseId: string;
  customerId: string | null;
  kind: string;
  score: number | null;
  text?: string | null;
  touchpoint?: string | null;
  trigger?: string | null;
  surveyId: string;
};
/** A response's text reading (feedback's ResponseAnalyzed). */
export type AnalysisSignal = ResponseSignal & { sentiment: string; topics: string[]; topicSentiments?: Record<string, string> };

function analysisCase(rules: CaseRule[], a: AnalysisSignal) {
  const rule = matchRule(rules, 'analysis', { kind: a.kind, score: a.score, sentiment: a.sentiment });
  if (!rule) return undefined;
  return {
    type: rule.case_type,
    sourceType: 'response',
    sourceId: a.responseId,
    customerId: a.customerId,
    touchpoint: a.touchpoint,
    topics: a.topics,
    topicSentiments: a.topicSentiments,
    text: a.text ?? null,
    summary: a.text?.slice(0, 200) ?? null,
    details: { survey_id: a.surveyId, sentiment: a.sentiment },
  };
}

/** `submitted` in the order they were published; `analyzed`, readings of the same batch or of earlier responses. */
export async function openResponseCases(deps: LoopDeps, tenantId: string, batch: { submitted: ResponseSignal[]; analyzed: AnalysisSignal[] }) {
  const rules = await deps.caches.rules(tenantId);
  const analyses = new Map(batch.analyzed.map((a) => [a.responseId, a]));
  const cases: Parameters<typeof openCases>[2] = [];
  for (const r of batch.submitted) {
    const a = analyses.get(r.responseId);
    analyses.delete(r.responseId);
    const rule = matchRule(rules, 'response', { kind: r.kind, score: r.score, trigger: r.trigger ?? undefined });
    if (rule) {
      cases.push({
        type: rule.case_type,
        sourceType: 'response',
        sourceId: r.responseId,
        customerId: r.customerId,
        touchpoint: r.touchpoint,
        text: r.text ?? null,
        summary: `${r.kind.toUpperCase()} ${r.score ?? '-'}${r.text ? `: ${r.text.slice(0, 200)}` : ''}`,
        details: { survey_id: r.surveyId, score: r.score, kind: r.kind },
        ...(a ? { routeAfter: a.topics, topicSentiments: a.topicSentiments } : {}),
      });
    } else if (a) {
      const c = analysisCase(rules, a);
      if (c) cases.push(c);
    }
  }
  const later = [...analyses.values()];
  if (later.length) {
    const existing = await queryRows(
      deps.pool,
      rowOf(casesTable, ['id', 'team_id', 'type', 'source_id']),
      `SELECT id, team_id, type, source_id FROM cases WHERE tenant_id = $1 AND source_type = 'response' AND source_id = ANY($2::text[])`,
      [tenantId, later.map((a) => a.responseId)],
    );
    const bySource = new Map(existing.map((e) => [e.source_id, e]));
    const routing = await deps.caches.routing(tenantId);
    const updates: { id: string; topics: string[]; team: string | null }[] = [];
    for (const a of later) {
      const e = bySource.get(a.responseId);
      if (e)
        updates.push({
          id: e.id,
          topics: a.topics,
          team:
            e.team_id ??
            routeCase(routing, { type: e.type, touchpoint: a.touchpoint, topics: a.topics, topicSentiments: a.topicSentiments, text: a.text })?.team ??
            null,
        });
      else {
        const c = analysisCase(rules, a);
        if (c) cases.push(c);
      }
    }
    if (updates.length) {
      await deps.pool.query(
        `UPDATE cases c SET topics = ARRAY(SELECT jsonb_array_elements_text(u.topics::jsonb)), team_id = u.team, updated_at = now()
           FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, topics, team) WHERE c.tenant_id = $1 AND c.id = u.id`,
        [tenantId, updates.map((u) => u.id), updates.map((u) => JSON.stringify(u.topics)), updates.map((u) => u.team)],
      );
    }
  }
  await openCases(deps, tenantId, cases);
}
