// What the public help centre reads on every page, kept briefly: the tenant a slug names and the
// language it shows a visitor who states none (the settings area `knowledge`).
import type pg from 'pg';
import { settingsArea } from '../../platform/settings.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { findTenantBySlug, getTenantSettings } from '../../platform/tenancy.js';
import { z } from '../../platform/validation.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { tenants } from '../../platform/schema.js';
import { LANGUAGES, type Language } from './search-articles.js';

// The help centre's settings (GET/PATCH /v1/settings/knowledge): the language a visitor who states none
// sees, and in which a search without Chinese script runs.
const KnowledgeSettingsArea = z.object({ default_language: z.enum(LANGUAGES).default('en') }).strict();

/** Help-centre slugs remembered at once (each found tenant, or a slug found to be no tenant's). */
const HELP_CENTRE_SLUGS = 10_000;

export interface HelpCentreTenant {
  tenantId: string;
  name: string;
  defaultLanguage: Language;
}

export function createHelpCentreCaches(pool: pg.Pool) {
  // The public help centre finds its tenant by the slug in the address and reads its language on every
  // page. A tenant's slug and name never change, so the slug's tenant (or its absence: crawlers ask for
  // slugs that do not exist) is kept 30 s, at most HELP_CENTRE_SLUGS of them. The language is a setting:
  // kept 30 s per tenant and forgotten on every node when it changes (tenant-cache, cache-notices).
  const tenantsBySlug = createTenantCache<{ tenantId: string; name: string } | null>({
    ttlMs: 30_000,
    maxEntries: HELP_CENTRE_SLUGS,
    load: async (slug) => (await findTenantBySlug(pool, slug)) ?? null,
  });
  const helpCentreLanguages = createTenantCache<Language>({
    ttlMs: 30_000,
    load: async (tenantId) => {
      const configured = ((await getTenantSettings(pool, tenantId)).knowledge as { default_language?: string } | undefined)?.default_language;
      return (LANGUAGES as readonly string[]).includes(configured ?? '') ? (configured as Language) : 'en';
    },
  });

  return {
    async helpCentre(slug: string): Promise<HelpCentreTenant | undefined> {
      const t = await tenantsBySlug.get(slug);
      return t ? { ...t, defaultLanguage: await helpCentreLanguages.get(t.tenantId) } : undefined;
    },
    settingsArea: settingsArea({
      name: 'knowledge',
      schema: KnowledgeSettingsArea,
      onChange: (tenantId) => helpCentreLanguages.forget(tenantId),
    }),
  };
}

/** The tenant's public help centre, `/help/<slug>` (the page routes in help-centre-routes.ts). */
export async function helpCentrePathOf(pool: pg.Pool, tenantId: string): Promise<string | null> {
  const t = await queryRow(pool, rowOf(tenants, ['slug']), 'SELECT slug FROM tenants WHERE tenant_id = $1', [tenantId]);
  return t ? `/help/${encodeURIComponent(t.slug)}` : null;
}
