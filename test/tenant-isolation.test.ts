// Walks every operation in /openapi.json with tenant A's admin API key aimed at tenant B's ids and
// values. Routes that modules add later are walked without changing this file: the document is the
// list, and the list is checked against every route Fastify has registered.
//
// For a route with id parameters, A's answer must not be 2xx, and must be the same answer A gets for
// ids that exist nowhere (so B's ids cannot even be told to exist). For a route without, A's answer
// must not show any of B's ids or values. Afterwards every row B owns, in every table, is unchanged.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { databases, startTestApp, createTestTenant, publicColumns, type TestTenant } from './helpers.js';
import { loadOpenApi, countOperations, registeredRoutes, sample, collectionIdFor, type Operation, type Picker } from './fixtures/openapi.js';
import type { Rapport } from '../src/app.js';

/** Path parameters that name something in the caller's own namespace (A may define its own "tier"). */
const NAME_PARAMS = new Set(['key']);
/** Identity kinds end in _id but are values a customer brings, not references to rows. */
const IDENTITY_NAMES = /^(external|anonymous)_id$/;
const isIdName = (name: string) => (name === 'id' || /_id$/.test(name)) && !IDENTITY_NAMES.test(name);

interface World {
  name: string;
  tenant: TestTenant;
  customerId: string;
  email: string;
  phone: string;
  attributeKey: string;
  /** POST collection path -> the id of a row created there, e.g. /v1/users -> usr_... */
  collections: Map<string, string>;
  /** What must never appear in another tenant's answers. */
  secrets: string[];
}

const rand = () => randomBytes(4).toString('hex');
// Each walk uses its own client address, so its failed logins never throttle other tests' logins.
const remoteAddress = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

describe.each(databases)('tenant isolation on $name', ({ url }) => {
  let r: Rapport;
  let operations: Operation[];
  let doc: Awaited<ReturnType<typeof loadOpenApi>>['doc'];
  let a: World;
  let b: World;
  let ghost: World;

  const call = (tenant: TestTenant, method: string, path: string, payload?: unknown) =>
    r.app.inject({
      method: method as 'GET',
      url: path,
      headers: tenant.headers,
      remoteAddress,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  /** Where an id for a path parameter comes from: the collection the path sits under. */
  const idFor = (w: World, path: string, param: string) => collectionIdFor(w.collections, path, param, w.customerId);

  function paramValue(w: World, path: string, param: string): string {
    if (param === 'key') return w.attributeKey;
    if (param === 'kind' || param.endsWith('_kind')) return 'email';
    if (param === 'value' || param.endsWith('_value')) return w.email;
    return idFor(w, path, param);
  }

  /** Ids in bodies point into world w, and are listed in refs; everything else is a neutral sample. */
  function bodyPicker(w: World): { pick: Picker; refs: string[] } {
    const refs: string[] = [];
    const pick: Picker = (name, s) => {
      if (!isIdName(name) || !(s.type === 'string' || s.anyOf)) return undefined;
      const kind = name.replace(/_id$/, '');
      const segments = [...w.collections.keys()].map((c) => [c, c.split('/').pop()!] as const);
      const collection = (segments.find(([, seg]) => seg === `${kind}s` || seg === kind) ?? segments.find(([, seg]) => seg.startsWith(kind)))?.[0];
      const id = collection && name !== 'id' ? w.collections.get(collection)! : w.customerId;
      refs.push(`${name}=${id}`);
      return id;
    };
    return { pick, refs };
  }

  const isLookupParam = (name: string) => name === 'q' || /(^|_)(value|kind)$/.test(name) || isIdName(name);

  /** Required query parameters, and every optional one that looks something up, aimed at world w. */
  function queryFor(w: World, op: Operation): URLSearchParams {
    const q = new URLSearchParams();
    for (const p of op.query) {
      const targetable = isLookupParam(p.name);
      if (!p.required && !targetable) continue;
      const v = p.name === 'q' ? w.email : targetable ? paramValue(w, op.path, p.name) : sample(p.schema ?? {}, p.name);
      q.set(p.name, String(v));
    }
    return q;
  }

  function urlFor(op: Operation, w: World, query: URLSearchParams): string {
    const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(paramValue(w, op.path, p)));
    return path + (query.size ? `?${query}` : '');
  }

  async function seedWorld(name: string): Promise<World> {
    const tenant = await createTestTenant(r);
    const tag = `${name}${rand()}`;
    const w: World = {
      name,
      tenant,
      customerId: '',
      email: `${tag}.customer@tenant-${name}.example.com`,
      phone: `+86137${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`,
      attributeKey: `${name}_secret_${rand()}`,
      collections: new Map(),
      secrets: [],
    };
    const eventId = `${tag}-event`;
    const orderId = `${tag}-order`;
    const ingest = await call(tenant, 'POST', '/v1/events', {
      events: [
        {
          id: eventId,
          type: 'purchase',
          occurred_at: '2026-02-01T00:00:00Z',
          identities: { email: w.email, phone: w.phone },
          properties: { order_id: orderId, amount: 5, currency: 'CNY' },
        },
      ],
    });
    expect(ingest.statusCode, ingest.body).toBe(200);
    w.customerId = ingest.json().results[0].customer_id;
    if (operations.some((o) => o.method === 'PUT' && o.path === '/v1/customer-attributes/{key}')) {
      const def = await call(tenant, 'PUT', `/v1/customer-attributes/${w.attributeKey}`, { type: 'string' });
      expect(def.statusCode, def.body).toBe(200);
    }
    // One row in every collection that can be created without naming a parent: POST /v1/users gives a
    // user whose id then stands in for {id} under /v1/users, and so on for any module added later.
    for (const op of operations) {
      if (op.method !== 'POST' || op.pathParams.length || !op.responses.includes('201')) continue;
      const body = sample(op.body, '', (field, s) => (s.format === 'email' || field === 'email' ? `${tag}.${rand()}@tenant-${name}.example.com` : undefined));
      const res = await call(tenant, 'POST', op.path, body);
      const created = res.statusCode === 201 ? res.json() : undefined;
      if (typeof created?.id === 'string') {
        w.collections.set(op.path, created.id);
        // Ids and tokens in the answer (rpk.…, usr_…); timestamps could repeat in A's answers by chance.
        w.secrets.push(
          ...Object.values(created).filter((v): v is string => typeof v === 'string' && (/^[a-z]{2,5}_[0-9a-z]{16,}$/.test(v) || v.startsWith('rpk.'))),
        );
      }
      if (typeof (body as { email?: unknown })?.email === 'string') w.secrets.push((body as { email: string }).email);
    }
    w.collections.set('/v1/customers', w.customerId);
    const apiKeySecret = tenant.apiKey.split('.').pop()!;
    w.secrets.push(w.customerId, w.email, w.phone, eventId, orderId, w.attributeKey, tenant.tenantId, tenant.slug, tenant.adminEmail, apiKeySecret);
    w.secrets = [...new Set(w.secrets)];
    return w;
  }

  /** The same shapes as B's values, naming nothing that exists. */
  function ghostOf(w: World): World {
    const fake = (id: string) => id.slice(0, -8) + '00000000';
    return {
      ...w,
      name: 'ghost',
      customerId: fake(w.customerId),
      email: `nobody.${rand()}@nowhere.example.com`,
      phone: '+8613700000000',
      attributeKey: `ghost_${rand()}`,
      collections: new Map([...w.collections].map(([k, v]) => [k, fake(v)])),
      secrets: [],
    };
  }

  /**
   * A digest of every row tenant t owns in every table that has a tenant_id. A partition is read through
   * its parent: other test files on the same database make and drop partitions meanwhile, which would
   * otherwise come and go between two digests.
   */
  async function tenantRows(tenantId: string): Promise<Record<string, string>> {
    const tables = (await publicColumns(r.db.pool)).filter((c) => c.column_name === 'tenant_id');
    const out: Record<string, string> = {};
    for (const { table_name: t } of tables) {
      const {
        rows: [d],
      } = await r.db.pool.query(
        `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS digest FROM "${t}" x WHERE tenant_id = $1`,
        [tenantId],
      );
      out[t] = `${d.n}:${d.digest}`;
    }
    return out;
  }

  async function settledRows(tenantId: string) {
    let last = await tenantRows(tenantId);
    for (let i = 0; i < 20; i++) {
      await new Promise((res) => setTimeout(res, 50));
      const now = await tenantRows(tenantId);
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
    return last;
  }

  beforeAll(async () => {
    r = await startTestApp(url);
    ({ doc, operations } = await loadOpenApi(r.app));
    a = await seedWorld('a');
    b = await seedWorld('b');
    ghost = ghostOf(b);
  });
  afterAll(async () => r?.close());

  it('documents every /v1 route it serves, so the walk below reaches all of them', () => {
    const served = registeredRoutes(r.app)
      .filter((x) => x.path.startsWith('/v1/'))
      .map((x) => `${x.method} ${x.path}`)
      .sort();
    const documented = operations.map((o) => `${o.method} ${o.path}`).sort();
    expect(served.length).toBeGreaterThan(10);
    expect(served).toContain('POST /v1/events');
    expect(documented).toEqual(served);
    expect(operations).toHaveLength(countOperations(doc));
  });

  it("answers every route aimed at another tenant's ids as if they did not exist, and never shows them", async () => {
    const before = await settledRows(b.tenant.tenantId);
    const failures: string[] = [];
    const walked: string[] = [];
    let collectionsShowingOwnData = 0;

    const leaks = (res: LightMyRequestResponse, exempt: string[] = []) => b.secrets.filter((s) => !exempt.includes(s) && res.body.includes(s));
    const check = (what: string, res: LightMyRequestResponse, exempt: string[] = []) => {
      const leaked = leaks(res, exempt);
      if (leaked.length) failures.push(`${what} -> ${res.statusCode} shows B's ${leaked.join(', ')}`);
      if (res.statusCode >= 500) failures.push(`${what} -> ${res.statusCode}`);
    };
    const sameAnswer = (what: string, res: LightMyRequestResponse, control: LightMyRequestResponse) => {
      const code = (x: LightMyRequestResponse) => (x.headers['content-type']?.toString().includes('json') ? x.json()?.code : undefined);
      if (res.statusCode !== control.statusCode || code(res) !== code(control)) {
        failures.push(`${what} -> ${res.statusCode} ${code(res)}, but ${control.statusCode} ${code(control)} for ids that do not exist`);
      }
    };

    for (const op of operations) {
      const label = `${op.method} ${op.path}`;
      const takesApiKey = !op.security || op.security.includes('apiKey');
      const idParams = op.pathParams.filter((p) => !NAME_PARAMS.has(p));
      const bBody = bodyPicker(b);
      const body = op.body ? sample(op.body, '', bBody.pick) : undefined;
      const ghostBody = op.body ? sample(op.body, '', bodyPicker(ghost).pick) : undefined;

      // 1. Everything aimed at B: path ids, lookup values in the query, ids in the body.
      const res = await call(a.tenant, op.method, urlFor(op, b, queryFor(b, op)), body);
      walked.push(`${label} -> ${res.statusCode}`);
      const exempt = op.pathParams.filter((p) => NAME_PARAMS.has(p)).map((p) => paramValue(b, op.path, p));
      check(label, res, exempt);
      const targetsB = idParams.length > 0 || bBody.refs.length > 0 || op.query.some((p) => isLookupParam(p.name));
      if (targetsB) {
        if (idParams.length || bBody.refs.length) {
          if (res.statusCode < 300) failures.push(`${label} -> ${res.statusCode} for B's ${idParams.length ? 'path ids' : bBody.refs.join(', ')}`);
          // Routes that take another credential than an API key (the portal's session) refuse it; they
          // are walked with their own credential in their own tests.
          if (res.statusCode === 401 && takesApiKey) failures.push(`${label} -> 401: A's key was refused, so the walk proves nothing`);
        }
        const control = await call(a.tenant, op.method, urlFor(op, ghost, queryFor(ghost, op)), ghostBody);
        sameAnswer(label, res, control);
      }

      // 2. A's own path, B's ids in the body: merging B's customer into A's, and the like.
      if (idParams.length && bBody.refs.length) {
        const own = urlFor(op, a, new URLSearchParams());
        const cross = await call(a.tenant, op.method, own, body);
        check(`${label} (own path, B's ${bBody.refs.join(', ')})`, cross);
        if (cross.statusCode < 300) failures.push(`${label} -> ${cross.statusCode} with B's ${bBody.refs.join(', ')} in the body`);
        sameAnswer(`${label} (own path, B's body ids)`, cross, await call(a.tenant, op.method, own, ghostBody));
      }

      // 3. A collection of A's own: it answers, and shows A's rows but none of B's.
      if (op.method === 'GET' && !op.pathParams.length && !op.query.some((p) => p.required) && takesApiKey) {
        const plain = await call(a.tenant, 'GET', op.path);
        check(`${label} (plain)`, plain);
        if (plain.statusCode !== 200) failures.push(`${label} (plain) -> ${plain.statusCode}, expected A's own collection`);
        if (plain.body.includes(a.customerId)) collectionsShowingOwnData++;
      }
    }

    // Routes outside /v1 (health, metrics, docs) answer anyone: nothing of B's may be in them either.
    for (const route of registeredRoutes(r.app)) {
      if (route.method !== 'GET' || route.path.startsWith('/v1/') || /[{*]/.test(route.path)) continue;
      check(`GET ${route.path}`, await call(a.tenant, 'GET', route.path));
    }

    expect(failures, walked.join('\n')).toEqual([]);
    expect(walked).toHaveLength(countOperations(doc));
    expect(collectionsShowingOwnData, "the collections A lists must hold A's rows, or the leak check sees nothing").toBeGreaterThan(0);
    // Nothing A did touched a row of B's, in any table of any module.
    expect(await settledRows(b.tenant.tenantId)).toEqual(before);
  });

  it("does not let one tenant's credentials sign in to another tenant", async () => {
    const asAtInB = await r.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress,
      payload: { tenant: b.tenant.slug, email: a.tenant.adminEmail, password: a.tenant.adminPassword },
    });
    expect(asAtInB.statusCode).toBe(401);
    expect(asAtInB.body).not.toContain(b.tenant.tenantId);
    // A's API key with B's tenant id written into it is not B's key.
    const forged = a.tenant.apiKey.replace(a.tenant.tenantId, b.tenant.tenantId);
    const res = await r.app.inject({ method: 'GET', url: `/v1/customers/${b.customerId}`, headers: { authorization: `Bearer ${forged}` } });
    expect(res.statusCode).toBe(401);
  });

  it("resolves identities within the tenant only: A's event with B's email makes A's own customer", async () => {
    const res = await call(a.tenant, 'POST', '/v1/events', {
      events: [{ id: `same-email-${rand()}`, type: 'sign_up', occurred_at: '2026-03-01T00:00:00Z', identities: { email: b.email, phone: b.phone } }],
    });
    expect(res.statusCode).toBe(200);
    const [item] = res.json().results;
    expect(item.status).toBe('accepted');
    expect(item.customer_id).not.toBe(b.customerId);
    const { rows } = await r.db.pool.query('SELECT tenant_id FROM customers WHERE id = $1', [item.customer_id]);
    expect(rows).toEqual([{ tenant_id: a.tenant.tenantId }]);
    const bProfile = await call(b.tenant, 'GET', `/v1/customers/${b.customerId}/timeline`);
    expect(bProfile.json().data.map((e: { type: string }) => e.type)).toEqual(['purchase']);
  });
});
