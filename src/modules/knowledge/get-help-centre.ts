// Where a tenant's help centre is and which language it opens in: the console links to it, and agents
// paste links to its articles into replies.
import type { Queryable } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { tenants } from '../../platform/schema.js';
import { LANGUAGES, type Language } from './search-articles.js';

export interface HelpCentre {
  slug: string;
  url: string;
  default_language: Language;
}

/** `publicUrl` is where visitors reach the server (RAPPORT_PUBLIC_URL), never a request's Host. */
export async function getHelpCentre(db: Queryable, tenantId: string, publicUrl: string): Promise<HelpCentre> {
  const t = await queryRow(
    db,
    rowOf(tenants, ['slug']).and<{ language: string | null }>(['language']),
    "SELECT slug, settings->'knowledge'->>'default_language' AS language FROM tenants WHERE tenant_id = $1",
    [tenantId],
  );
  const slug = t?.slug as string;
  const language = t?.language && (LANGUAGES as readonly string[]).includes(t.language) ? (t.language as Language) : 'en';
  return { slug, url: `${publicUrl.replace(/\/+$/, '')}/help/${encodeURIComponent(slug)}`, default_language: language };
}
