// Tenant settings by area (GET/PATCH /v1/settings/{area}). Each module declares the areas it reads:
// a schema whose defaults are the values a tenant has until it changes them. Areas are kept in
// tenants.settings under their name unless the module stores them itself (read/write). Every change
// is validated, audited with what changed, and tells the module to drop what it cached.
import type pg from 'pg';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, deepPatchOf, applyDeepPatch, problemResponses, parseOrThrow } from './validation.js';
import { writeAudit, actorOf, type Actor } from './audit.js';
import { principalOf } from './http.js';
import { notFound } from './errors.js';
import { getTenantSettings } from './tenancy.js';

export interface SettingsArea<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** Every field with its default; unknown fields are refused. */
  schema: S;
  read?: (tenantId: string) => Promise<Record<string, unknown>>;
  write?: (tenantId: string, values: z.infer<S>) => Promise<void>;
  /** Called after a change, to drop what the module cached for the tenant. */
  onChange?: (tenantId: string) => void;
}

/** Declares an area with its schema's types kept for read and write. */
export const settingsArea = <S extends z.ZodObject>(area: SettingsArea<S>): SettingsArea => area as unknown as SettingsArea;

export function createSettings(pool: pg.Pool, areas: readonly SettingsArea[]) {
  const byName = new Map(areas.map((a) => [a.name, a]));
  const areaOf = (name: string) => {
    const a = byName.get(name);
    if (!a) throw notFound(`No settings area ${name}; there are ${[...byName.keys()].join(', ')}`);
    return a;
  };

  /** The stored values with defaults for what was never set; a stored value the schema no longer accepts falls back to its default. */
  async function read(tenantId: string, name: string): Promise<Record<string, unknown>> {
    const a = areaOf(name);
    const stored = (a.read ? await a.read(tenantId) : (await getTenantSettings(pool, tenantId))[name]) as Record<string, unknown> | undefined;
    const out: Record<string, unknown> = a.schema.parse({});
    for (const [k, field] of Object.entries(a.schema.shape)) {
      const r = (field as z.ZodType).safeParse(stored?.[k]);
      if (stored?.[k] !== undefined && r.success) out[k] = r.data;
    }
    return out;
  }

  async function update(tenantId: string, name: string, body: unknown, actor: Actor) {
    const a = areaOf(name);
    const patch = parseOrThrow(deepPatchOf(a.schema).strict(), body) as Record<string, unknown>;
    const before = await read(tenantId, name);
    // Nested objects merge field by field: naming one SLA target leaves the others as they were.
    const values = applyDeepPatch(a.schema, before, patch);
    if (a.write) await a.write(tenantId, values);
    else
      await pool.query(`UPDATE tenants SET settings = jsonb_set(coalesce(settings, '{}'), ARRAY[$2::text], $3::jsonb) WHERE tenant_id = $1`, [
        tenantId,
        name,
        JSON.stringify(values),
      ]);
    const changed = Object.fromEntries(
      Object.keys(patch)
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(values[k]))
        .map((k) => [k, { from: before[k], to: values[k] }]),
    );
    await writeAudit(pool, tenantId, actor, 'settings.update', { type: 'settings', id: name }, { changed });
    a.onChange?.(tenantId);
    return values;
  }

  return { areas: () => [...byName.values()], read, update };
}
export type Settings = ReturnType<typeof createSettings>;

export function settingsRoutes(settings: Settings): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/settings',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['settings'],
          summary: 'Every settings area with its values (defaults where never set)',
          response: { 200: z.object({ data: z.record(z.string(), z.record(z.string(), z.unknown())) }), ...problemResponses },
        },
      },
      async (req) => {
        const { tenantId } = principalOf(req);
        return { data: Object.fromEntries(await Promise.all(settings.areas().map(async (a) => [a.name, await settings.read(tenantId, a.name)] as const))) };
      },
    );
    // One pair of routes per area, so that the document shows each area's own fields and limits.
    for (const area of settings.areas()) {
      const Values = area.schema.meta({ id: `Settings_${area.name}` });
      app.get(
        `/v1/settings/${area.name}`,
        { config: { scope: 'admin' }, schema: { tags: ['settings'], summary: `The ${area.name} settings`, response: { 200: Values, ...problemResponses } } },
        async (req) => settings.read(principalOf(req).tenantId, area.name) as never,
      );
      app.patch(
        `/v1/settings/${area.name}`,
        {
          config: { scope: 'admin' },
          schema: {
            tags: ['settings'],
            summary: `Change the ${area.name} settings named; audited`,
            body: deepPatchOf(area.schema).strict(),
            response: { 200: Values, ...problemResponses },
          },
        },
        async (req) => {
          const p = principalOf(req);
          return settings.update(p.tenantId, area.name, req.body, actorOf(p)) as never;
        },
      );
    }
  };
}
