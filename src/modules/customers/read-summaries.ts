// Name, language and value of customers, for other modules' routing and templates (not audited: no
// personal data beyond a name).
import { prepared, type Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { activeCustomersSql } from './find-customer.js';
import { formatName } from './format-name.js';
import { customers } from './schema.js';

export interface CustomerSummary {
  id: string;
  name: string | null;
  language: string | null;
  isCore: boolean;
  clv: number | null;
}

const SUMMARY_COLUMNS = 'c.id, c.display_name, c.given_name, c.family_name, c.locale, c.is_core, c.clv, p.language';
// The preferred language comes through a LEFT JOIN: null for a customer who never gave preferences.
const Summary = rowOf(customers, ['id', 'display_name', 'given_name', 'family_name', 'locale', 'is_core', 'clv']).and<{ language: string | null }>([
  'language',
]);
const toSummary = (r: typeof Summary.row): CustomerSummary => ({
  id: r.id,
  name: formatName({ displayName: r.display_name, givenName: r.given_name, familyName: r.family_name }, r.language ?? r.locale),
  language: r.language ?? r.locale,
  isCore: r.is_core,
  clv: r.clv == null ? null : Number(r.clv),
});

/** The customers the ids name, by id, in one query. */
export async function readSummaries(db: Queryable, tenantId: string, ids: readonly string[]): Promise<Map<string, CustomerSummary>> {
  if (!ids.length) return new Map();
  // A primary-key probe per id (the tenant as an InitPlan value): with statistics that predate a new
  // tenant's growth, c.id = ANY($2) read all of the tenant's customers, and their preferences for each.
  const rows = await queryRows(
    db,
    Summary,
    `SELECT ${SUMMARY_COLUMNS} FROM unnest($2::text[]) AS u(id)
       CROSS JOIN LATERAL (SELECT * FROM customers x WHERE x.tenant_id = (SELECT $1::text) AND x.id = u.id) c
       LEFT JOIN LATERAL (SELECT y.language FROM customer_preferences y WHERE y.tenant_id = c.tenant_id AND y.customer_id = c.id) p ON true`,
    [tenantId, [...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, toSummary(r)]));
}

const ACTIVE_SUMMARIES = prepared(
  'customers-active-summaries',
  `SELECT a.asked, ${SUMMARY_COLUMNS} FROM (${activeCustomersSql('SELECT unnest($2::text[])')}) a
     CROSS JOIN LATERAL (SELECT * FROM customers x WHERE x.tenant_id = (SELECT $1::text) AND x.id = a.id) c
     LEFT JOIN LATERAL (SELECT y.language FROM customer_preferences y WHERE y.tenant_id = c.tenant_id AND y.customer_id = c.id) p ON true`,
);

const ActiveSummary = Summary.and<{ asked: string }>(['asked']);

/** The active customers some ids name, by the id asked (a merged id gives its survivor), in one query. */
export async function readActiveSummaries(db: Queryable, tenantId: string, ids: readonly string[]): Promise<Map<string, CustomerSummary>> {
  if (!ids.length) return new Map();
  const rows = await queryRows(db, ActiveSummary, ACTIVE_SUMMARIES([tenantId, [...new Set(ids)]]));
  return new Map(rows.map((r) => [r.asked, toSummary(r)]));
}
