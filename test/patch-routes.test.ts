// Walks every PATCH operation in /openapi.json: the resource is made with values other than the
// defaults, one field is PATCHed, and every other field must read back unchanged. Routes that modules
// add later are walked without changing this file (the document is the list); a route the walk cannot
// set up fails the test instead of being skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import { startSmtpListener, signInCodeOf, type SmtpListener } from './fixtures/smtp.js';
import { loadOpenApi, sample, typesOf, type JsonSchema, type Operation } from './fixtures/openapi.js';
import type { Rapport } from '../src/app.js';

/** Fields a change is allowed to move: bookkeeping, not content. */
const VOLATILE = new Set(['updated_at', 'version', 'current_version', 'published_at', 'open_conversations', 'queued', 'activity', 'value', 'activities']);

/**
 * Values that the generic sampler cannot know: references to other rows and fields whose valid values
 * depend on each other. Keyed by the PATCH path; merged over the generic non-default body.
 */
type Refs = Record<string, string>;
const CREATE_BODIES: Record<string, (refs: Refs) => Record<string, unknown>> = {
  '/v1/inbox/routing-rules/{id}': (r) => ({ team_id: r.team, conditions: { languages: ['zh-CN'] }, priority: 'high', is_enabled: false }),
  '/v1/inbox/agents/{id}': (r) => ({ team_ids: [r.team], status: 'away', capacity: 2, is_senior: true, email: undefined, user_id: undefined }),
  '/v1/inbox/teams/{id}': (r) => ({ assignment: 'least_loaded', manager_agent_id: r.agent }),
  '/v1/inbox/channels/{id}': () => ({ kind: 'api', settings: {}, secrets: {}, is_enabled: false }),
  '/v1/conversations/{id}': (r) => ({
    customer_id: r.customer,
    channel_id: r.channel,
    text: 'Where is my refund?',
    priority: 'high',
    subject: undefined,
    agent_id: undefined,
  }),
  '/v1/cases/{id}': (r) => ({ customer_id: r.customer, type: 'complaint', summary: 'The seat was broken', priority: 'high' }),
  '/v1/loyalty/rewards/{id}': () => ({
    name: 'Lounge pass',
    cost_points: 500,
    stock: 7,
    per_customer_limit: 2,
    voucher_valid_days: 30,
    is_active: false,
    tiers: undefined,
    valid_from: undefined,
    valid_until: undefined,
  }),
  '/v1/knowledge/articles/{id}': () => ({
    title: 'Refunds',
    body: 'How refunds work',
    language: 'en',
    status: 'published',
    visibility: 'internal',
    category_id: undefined,
    translation_of: undefined,
    slug: 'refunds-how',
  }),
  '/v1/knowledge/categories/{id}': () => ({
    names: { en: 'Refunds', 'zh-CN': '退款' },
    descriptions: { en: 'Money back' },
    position: 7,
    parent_id: undefined,
    slug: 'refunds',
  }),
  '/v1/surveys/{id}': () => ({
    name: 'After flight',
    kind: 'nps',
    throttle_days: 9,
    consent_purpose: 'service',
    channel: 'email',
    touchpoint: 'flight',
    journey_stage: undefined,
    triggers: undefined,
    link_ttl_hours: 12,
    definition: { title: { en: 'How was it?' }, questions: [{ key: 'score', type: 'nps', required: true, text: { en: 'How likely?' } }] },
  }),
  '/v1/outreach/journeys/{id}': (r) => ({
    name: 'Welcome',
    trigger: 'event.signup',
    steps: [{ delay_minutes: 60, template_id: r.template }],
    exit_on: ['event.purchase'],
    is_active: true,
  }),
  '/v1/users/{id}': () => ({
    email: `user.${Date.now()}@example.com`,
    name: 'Li Lei',
    role: 'agent',
    locale: 'zh-CN',
    password: 'correct horse battery staple',
  }),
  '/v1/customers/{id}': () => ({
    given_name: 'Lei',
    family_name: 'Li',
    display_name: 'Li Lei',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    attributes: {},
    identities: {},
  }),
  '/v1/customers/{id}/preferences': () => ({
    channels: ['sms', 'email'],
    contact_window: { start: '09:00', end: '18:00', days: [1, 2, 3] },
    max_messages_per_week: 3,
    language: 'en',
  }),
};

/** The field each walk changes, when the generic choice (a name, else the first field) will not do. */
const PATCHED: Record<string, (refs: Refs) => Record<string, unknown>> = {
  '/v1/conversations/{id}': () => ({ tags: ['refund'] }),
  '/v1/cases/{id}': () => ({ priority: 'low' }),
  // A webhook address brings a signing secret with it (has_alert_webhook_secret): not a field left out.
  '/v1/listening/settings': () => ({ min_volume: 42 }),
  '/v1/outreach/journeys/{id}': () => ({ is_active: false }),
  '/v1/customers/{id}/preferences': () => ({ language: 'zh-CN' }),
  '/v1/auth/me': () => ({ locale: 'zh-CN' }),
  '/v1/settings/loyalty': () => ({ base_currency: 'EUR' }),
};

/** A value the schema accepts that is not its default (and, for a boolean, the other one). */
function nonDefault(s: JsonSchema, name: string): unknown {
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.length) return nonDefault({ ...(variants.find((v) => v.type !== 'null') ?? variants[0]), default: s.default }, name);
  if (s.enum?.length) return [...s.enum].reverse().find((v) => v !== s.default && v !== null) ?? s.enum[0];
  const types = typesOf(s);
  if (types.has('boolean')) return s.default === undefined ? true : !s.default;
  if (types.has('integer') || types.has('number')) {
    const lo = s.minimum ?? 0;
    const hi = s.maximum ?? lo + 100;
    const pick = Math.min(hi, lo + 3);
    return pick === s.default ? Math.min(hi, pick + 1) : pick;
  }
  return sample(s, name);
}

/** Every required field, and every field that has a default, set to something other than the default. */
function richBody(s: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s?.properties ?? {})) {
    if (v.default !== undefined || typesOf(v).has('boolean') || v.enum) out[k] = nonDefault(v, k);
    else if (s?.required?.includes(k)) out[k] = sample(v, k);
  }
  return out;
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function changedValue(s: JsonSchema, current: unknown, name: string): unknown {
  if (s.enum?.length) return s.enum.find((v) => v !== current && v !== null);
  const types = typesOf(s);
  if (types.has('string')) return `${String(sample(s, name))}-changed`.slice(0, s.maxLength ?? 200);
  if (types.has('boolean')) return !current;
  if (types.has('integer') || types.has('number')) return Number(current ?? 0) === (s.minimum ?? 1) + 1 ? (s.minimum ?? 1) + 2 : (s.minimum ?? 1) + 1;
  if (types.has('array') && s.items) return [sample(s.items, name)];
  return undefined;
}

describe.each(databases)('PATCH changes only what it names on $name', ({ url }) => {
  let r: Rapport;
  let tenant: TestTenant;
  let operations: Operation[];
  let smtp: SmtpListener;
  const refs: Refs = {};

  const call = (method: string, path: string, payload?: unknown, headers = tenant.headers) =>
    r.app.inject({ method: method as 'GET', url: path, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const ok = async (method: string, path: string, payload?: unknown, headers?: Record<string, string>) => {
    const res = await call(method, path, payload, headers);
    expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300);
    return res.body ? res.json() : undefined;
  };

  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { smtpUrl: smtp.url, publicUrl: 'http://portal.test' });
    tenant = await createTestTenant(r);
    ({ operations } = await loadOpenApi(r.app));
    refs.customer = (
      await ok('POST', '/v1/customers', { given_name: 'Mei', family_name: 'Han', identities: { email: 'mei.han@example.com', external_id: 'mei-1' } })
    ).id;
    refs.team = (await ok('POST', '/v1/inbox/teams', { name: 'Refunds' })).id;
    refs.agent = (await ok('POST', '/v1/inbox/agents', { name: 'Wang Fang', team_ids: [refs.team], status: 'online' })).id;
    refs.channel = (await ok('POST', '/v1/inbox/channels', { kind: 'api', name: 'API' })).id;
    refs.template = (
      await ok('POST', '/v1/outreach/templates', {
        name: 'welcome',
        purpose: 'service',
        default_locale: 'en',
        content: { en: { email: { subject: 'Welcome', html: '<p>Hi</p>', text: 'Hi' } } },
      })
    ).id;
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  /** Where the resource is, how it reads before the PATCH, and how to read it after (else the PATCH's answer). */
  interface Subject {
    path: string;
    before: Record<string, unknown>;
    read?: () => Promise<Record<string, unknown>>;
    headers?: Record<string, string>;
  }

  /** Makes the resource behind a PATCH path; answers the concrete path and how to read it back. */
  async function makeSubject(op: Operation): Promise<Subject> {
    const override = CREATE_BODIES[op.path]?.(refs) ?? {};
    const hasGet = operations.some((o) => o.method === 'GET' && o.path === op.path);
    if (op.path === '/v1/auth/me') {
      const login = await call('POST', '/v1/auth/login', { tenant: tenant.slug, email: tenant.adminEmail, password: tenant.adminPassword }, {});
      const headers = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
      return { path: op.path, headers, before: await ok('GET', op.path, undefined, headers), read: () => ok('GET', op.path, undefined, headers) };
    }
    if (op.path === '/v1/portal/me') {
      const since = smtp.messages.length;
      await ok('POST', '/v1/portal/sign-in', { tenant: tenant.slug, email: 'mei.han@example.com' }, {});
      const { code } = signInCodeOf(await smtp.waitFor('mei.han@example.com', since));
      const res = await call('POST', '/v1/portal/sign-in/verify', { tenant: tenant.slug, email: 'mei.han@example.com', code }, {});
      const headers = { cookie: `rapport_portal=${res.cookies.find((c) => c.name === 'rapport_portal')!.value}` };
      await ok('PATCH', op.path, { given_name: 'Mei', family_name: 'Han', display_name: 'Han Mei', locale: 'zh-CN' }, headers);
      return { path: op.path, headers, before: await ok('GET', op.path, undefined, headers), read: () => ok('GET', op.path, undefined, headers) };
    }
    const last = /\/\{(\w+)\}$/.exec(op.path);
    const collection = last ? op.path.slice(0, last.index) : undefined;
    const create = collection ? operations.find((o) => o.method === 'POST' && o.path === collection && o.responses.includes('201')) : undefined;
    if (create) {
      const created = await ok('POST', collection!, defined({ ...richBody(create.body), ...override }));
      // The created row's id: the answer's own, or that of the one object it holds ({conversation, message}).
      const id = created.id ?? (Object.values(created).find((v) => typeof (v as { id?: unknown })?.id === 'string') as { id: string }).id;
      const path = op.path.replace(/\{\w+\}/, id);
      return hasGet ? { path, before: await ok('GET', path), read: () => ok('GET', path) } : { path, before: created };
    }
    // A singleton (settings, a customer's preferences): it exists already; set it to non-defaults first.
    const path = op.path
      .replace(/\{id\}/, refs.customer)
      .replace(/\{(\w+)\}/, (_, p: string) => String(sample(op.query.find((q) => q.name === p)?.schema ?? { type: 'string' }, p)));
    const put = operations.find((o) => o.method === 'PUT' && o.path === op.path);
    const body = defined({ ...richBody(put?.body ?? op.body), ...override });
    const first = await ok(put ? 'PUT' : 'PATCH', path, body);
    return hasGet ? { path, before: await ok('GET', path), read: () => ok('GET', path) } : { path, before: first };
  }

  /** Pairs a PATCH path with a GET that reads the same resource when they differ (a customer's preferences). */
  const readThrough: Record<string, (after: Record<string, unknown>) => unknown> = {
    '/v1/customers/{id}/preferences': (c) => c.preferences,
  };

  it('lists PATCH operations to walk, none with a defaulted field', () => {
    const patches = operations.filter((o) => o.method === 'PATCH');
    expect(patches.length).toBeGreaterThanOrEqual(16);
    const defaulted = patches.flatMap((o) =>
      Object.entries(o.body?.properties ?? {})
        .filter(([, s]) => s.default !== undefined)
        .map(([k]) => `${o.path} ${k}`),
    );
    expect(defaulted).toEqual([]);
  });

  it('keeps every field the PATCH leaves out, on every PATCH route', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.method === 'PATCH')) {
      const subject = await makeSubject(op).catch((err: Error) => {
        failures.push(`${op.path}: could not set up: ${err.message.slice(0, 400)}`);
      });
      if (!subject) continue;
      const before = subject.before;
      const pickField = (): Record<string, unknown> => {
        if (PATCHED[op.path]) return PATCHED[op.path](refs);
        const props = Object.entries(op.body?.properties ?? {});
        const found = props.find(([k]) => k === 'name' || k === 'title') ?? props.find(([, s]) => changedValue(s, undefined, '') !== undefined);
        if (!found) return {};
        const [name, s] = found;
        return { [name]: changedValue(s, (before as Record<string, unknown>)[name], name) };
      };
      const patch = pickField();
      if (!Object.keys(patch).length) {
        failures.push(`${op.path}: no field the walk knows how to change; name one in PATCHED`);
        continue;
      }
      const res = await call('PATCH', subject.path, patch, subject.headers);
      if (res.statusCode >= 300) {
        failures.push(`${op.path}: PATCH ${JSON.stringify(patch)} answered ${res.statusCode} ${res.body}`);
        continue;
      }
      const after = subject.read ? await subject.read() : res.json();
      const view = readThrough[op.path] ?? ((x: unknown) => x);
      const b = view(before) as Record<string, unknown>;
      const a = view(after) as Record<string, unknown>;
      for (const [k, v] of Object.entries(b ?? {})) {
        if (VOLATILE.has(k) || k in patch) continue;
        if (JSON.stringify(a?.[k]) !== JSON.stringify(v))
          failures.push(`${op.path}: PATCH ${JSON.stringify(patch)} changed ${k} from ${JSON.stringify(v)} to ${JSON.stringify(a?.[k])}`);
      }
      for (const [k, v] of Object.entries(patch))
        if (k in (a ?? {}) && JSON.stringify(a[k]) !== JSON.stringify(v) && typeof v !== 'string')
          failures.push(`${op.path}: ${k} did not take ${JSON.stringify(v)}`);
    }
    expect(failures).toEqual([]);
  });
});
