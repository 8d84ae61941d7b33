// The surveys read for every ingested event and every submission, kept briefly (platform tenant-cache,
// so a change forgets them on every node): a tenant's active triggers for ten seconds, a survey for
// five, and a survey version for good, since versions never change once written.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { getSurvey, getSurveyVersion, type SurveyRow } from './manage-surveys.js';
import { watchedTypes, type ActiveTrigger } from './run-triggers.js';
import type { SurveyDefinition } from './survey-definition.js';
import { surveyNotFound } from './errors.js';
import { surveys as surveysTable } from './schema.js';

// A survey not found is not kept: its load fails with this, which the cache does not remember.
const MISSING = Symbol('missing survey');
const Triggers = rowOf(surveysTable, ['id', 'triggers']);

export function createSurveyCaches(pool: pg.Pool) {
  const triggers = createTenantCache<{ triggers: ActiveTrigger[]; watched: Set<string> }>({
    ttlMs: 10_000,
    async load(tenantId) {
      const rows = await queryRows(pool, Triggers, `SELECT id, triggers FROM surveys WHERE tenant_id = $1 AND status = 'active' AND triggers <> '[]'::jsonb`, [
        tenantId,
      ]);
      const list = rows.flatMap((r) => r.triggers.map((trigger) => ({ surveyId: r.id, trigger })));
      return { triggers: list, watched: watchedTypes(list) };
    },
  });
  // Keyed by tenant and survey ("tenant|survey"), so a change forgets that one survey.
  const surveys = createTenantCache<SurveyRow>({
    ttlMs: 5_000,
    async load(key) {
      const [tenantId, id] = key.split('|') as [string, string];
      const survey = await getSurvey(pool, tenantId, id);
      if (!survey) throw MISSING;
      return survey;
    },
  });
  const versions = createTenantCache<SurveyDefinition>({
    ttlMs: Infinity,
    async load(key) {
      const [tenantId, surveyId, version] = key.split('|') as [string, string, string];
      const def = await getSurveyVersion(pool, tenantId, surveyId, Number(version));
      if (!def) throw surveyNotFound();
      return def;
    },
  });

  return {
    /** A tenant's active triggers and the event types they watch. */
    triggers,
    /** A survey as it was up to five seconds ago: for the hot submission path. */
    async survey(tenantId: string, id: string): Promise<SurveyRow | undefined> {
      try {
        return await surveys.get(`${tenantId}|${id}`);
      } catch (err) {
        if (err === MISSING) return undefined;
        throw err;
      }
    },
    definition: (tenantId: string, surveyId: string, version: number) => versions.get(`${tenantId}|${surveyId}|${version}`),
    forget(tenantId: string, surveyId?: string) {
      triggers.forget(tenantId);
      if (surveyId) surveys.forget(`${tenantId}|${surveyId}`);
    },
  };
}

export type SurveyCaches = ReturnType<typeof createSurveyCaches>;
