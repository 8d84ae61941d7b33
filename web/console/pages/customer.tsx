// Customer 360: one person's profile, identities, value, preferences, consent, merges and timeline.
import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent } from 'react';
import { NavLink, Route, Routes, useParams, useNavigate } from 'react-router';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api.js';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Coming,
  Empty,
  ErrorNote,
  Loading,
  PageHeader,
  SelectField,
  TextField,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
} from '../../shared/ui.js';
import { customerName } from '../../shared/customer-name.js';
import {
  IDENTITY_KINDS,
  addIdentity,
  getConsent,
  getCustomer,
  getTimeline,
  listAttributes,
  listMerges,
  mergeCustomer,
  recordConsent,
  removeIdentity,
  setPreferences,
  updateCustomer,
  type Channel,
  type Customer,
  type Purpose,
  type TimelineItem,
} from '../api/customers.js';
import type { ConsentInput, PatchCustomer } from '../../../src/modules/customers/contract.js';
import { everyOf } from '../../shared/contract.js';
import { ChurnRiskCard } from './customer-churn-risk.js';

const Chart = lazy(() => import('./chart.js'));

/** Bars of how many timeline items fall in each month. */
function activityOption(items: TimelineItem[], name: string) {
  const counts = new Map<string, number>();
  for (const e of items) {
    const m = e.occurred_at.slice(0, 7);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const months = [...counts.keys()].sort();
  return {
    grid: { left: 32, right: 8, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name, data: months.map((m) => counts.get(m)), itemStyle: { color: '#1f5fbf' } }],
  };
}

const CHANNELS = everyOf<Channel>()(['email', 'sms', 'wechat', 'weibo', 'webchat', 'phone', 'whatsapp', 'app_push']);
const PURPOSES = everyOf<Purpose>()(['transactional', 'service', 'marketing']);

export function CustomerPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => getCustomer(id) });

  // A merged id leads to the survivor: show the survivor's address.
  useEffect(() => {
    if (customer.data && customer.data.id !== id) navigate(`/customers/${customer.data.id}`, { replace: true });
  }, [customer.data, id, navigate]);

  if (customer.isPending) return <Loading />;
  if (customer.error) return <ErrorNote error={customer.error} />;
  const c = customer.data;
  const tabs = [
    ['', 'overview'],
    ['timeline', 'timeline'],
    ['consent', 'consent'],
    ['merges', 'merges'],
    ['loyalty', 'loyalty'],
    ['feedback', 'feedback'],
    ['cases', 'cases'],
    ['messages', 'messages'],
  ] as const;
  return (
    <>
      <PageHeader
        title={customerName(c, i18n.language)}
        subtitle={
          <>
            <span className="mono">{c.id}</span> · {t('customer.since', { date: formatDate(c.created_at, i18n.language) })}
          </>
        }
        actions={
          <>
            {c.value.is_core && <Badge tone="good">{t('customers.core')}</Badge>}
            {c.merged_from && <Badge tone="info">{t('customer.mergedFrom', { id: c.merged_from })}</Badge>}
          </>
        }
      />
      <nav className="subnav" aria-label={t('customer.sections')}>
        {tabs.map(([path, key]) => (
          <NavLink key={key} to={`/customers/${c.id}${path ? `/${path}` : ''}`} end>
            {t(`customer.tab.${key}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Overview c={c} />} />
        <Route path="timeline" element={<Timeline customerId={c.id} />} />
        <Route path="consent" element={<Consent c={c} />} />
        <Route path="merges" element={<Merges c={c} />} />
        <Route path="loyalty" element={<Coming what={t('nav.loyalty')} />} />
        <Route path="feedback" element={<Coming what={t('nav.surveys')} />} />
        <Route path="cases" element={<Coming what={t('nav.cases')} />} />
        <Route path="messages" element={<Coming what={t('nav.inbox')} />} />
      </Routes>
    </>
  );
}

function useSaveCustomer(id: string) {
  const qc = useQueryClient();
  return (data: Customer) => {
    qc.setQueryData(['customer', id], data);
    void qc.invalidateQueries({ queryKey: ['customers'] });
  };
}

function Overview({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const attrs = useQuery({ queryKey: ['attributes'], queryFn: () => listAttributes() });
  const recent = useQuery({ queryKey: ['timeline-recent', c.id], queryFn: () => getTimeline(c.id, { limit: 200 }) });
  const label = (k: string) => attrs.data?.data.find((a) => a.key === k)?.label ?? k;
  const activity = useMemo(() => activityOption(recent.data?.data ?? [], t('customer.events')), [recent.data, t]);
  const score = (n: number | null) => (n === null ? '—' : `${n}/5`);
  return (
    <div className="grid">
      <Profile c={c} />
      <Card title={t('customer.value')}>
        <dl className="kv">
          <dt>{t('customer.recency')}</dt>
          <dd>{score(c.value.recency_score)}</dd>
          <dt>{t('customer.frequency')}</dt>
          <dd>{score(c.value.frequency_score)}</dd>
          <dt>{t('customer.monetary')}</dt>
          <dd>{score(c.value.monetary_score)}</dd>
          <dt>{t('customer.clv')}</dt>
          <dd>{formatNumber(c.value.clv, lng, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</dd>
          <dt>{t('customer.coreCustomer')}</dt>
          <dd>{c.value.is_core ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('customer.computedAt')}</dt>
          <dd>{formatDateTime(c.value.computed_at, lng)}</dd>
        </dl>
      </Card>
      <ChurnRiskCard customerId={c.id} />
      <Card title={t('customer.activity')}>
        <dl className="kv">
          <dt>{t('customer.firstSeen')}</dt>
          <dd>{formatDateTime(c.activity.first_seen_at, lng)}</dd>
          <dt>{t('customer.lastSeen')}</dt>
          <dd>{formatDateTime(c.activity.last_seen_at, lng)}</dd>
          <dt>{t('customer.events')}</dt>
          <dd>{c.activity.event_count}</dd>
          <dt>{t('customers.orders')}</dt>
          <dd>{c.activity.order_count}</dd>
          <dt>{t('customer.spend')}</dt>
          <dd>
            {Object.entries(c.activity.spend)
              .map(([cur, n]) => formatMoney(n, cur, lng))
              .join(' · ') || '—'}
          </dd>
        </dl>
        {recent.data && recent.data.data.length > 0 && (
          <Suspense fallback={<Loading />}>
            <Chart option={activity} label={t('customer.activityChart')} />
          </Suspense>
        )}
      </Card>
      <Identities c={c} />
      <Card title={t('customer.attributes')}>
        {Object.keys(c.attributes).length === 0 ? (
          <Empty>{t('customer.noAttributes')}</Empty>
        ) : (
          <dl className="kv">
            {Object.entries(c.attributes).map(([k, v]) => (
              <AttributeRow key={k} name={label(k)} value={v} />
            ))}
          </dl>
        )}
      </Card>
      <PreferencesCard c={c} />
    </div>
  );
}

function AttributeRow({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
    </>
  );
}

function Profile({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const save = useSaveCustomer(c.id);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({
    given_name: c.given_name ?? '',
    family_name: c.family_name ?? '',
    display_name: c.display_name ?? '',
    locale: c.locale ?? '',
    timezone: c.timezone ?? '',
  });
  const m = useMutation({
    mutationFn: () => updateCustomer(c.id, Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || null])) as PatchCustomer),
    onSuccess: (d) => {
      save(d);
      setEditing(false);
    },
  });
  const err = m.error instanceof ApiError ? m.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <Card title={t('customer.profile')} actions={!editing && <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>}>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate();
          }}
        >
          <TextField label={t('customer.givenName')} value={form.given_name} onChange={set('given_name')} error={err?.fieldMessage('given_name')} />
          <TextField label={t('customer.familyName')} value={form.family_name} onChange={set('family_name')} error={err?.fieldMessage('family_name')} />
          <TextField label={t('customer.displayName')} value={form.display_name} onChange={set('display_name')} error={err?.fieldMessage('display_name')} />
          <TextField label={t('customer.locale')} value={form.locale} onChange={set('locale')} error={err?.fieldMessage('locale')} placeholder="zh-CN" />
          <TextField
            label={t('customer.timezone')}
            value={form.timezone}
            onChange={set('timezone')}
            error={err?.fieldMessage('timezone')}
            placeholder="Asia/Shanghai"
          />
          {err && !err.fields.length && <ErrorNote error={err} />}
          <div className="row">
            <Button type="submit" variant="primary" busy={m.isPending}>
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
          </div>
        </form>
      ) : (
        <dl className="kv">
          <dt>{t('customer.givenName')}</dt>
          <dd>{c.given_name ?? '—'}</dd>
          <dt>{t('customer.familyName')}</dt>
          <dd>{c.family_name ?? '—'}</dd>
          <dt>{t('customer.displayName')}</dt>
          <dd>{c.display_name ?? '—'}</dd>
          <dt>{t('customer.locale')}</dt>
          <dd>{c.locale ?? '—'}</dd>
          <dt>{t('customer.timezone')}</dt>
          <dd>{c.timezone ?? '—'}</dd>
        </dl>
      )}
    </Card>
  );
}

function Identities({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<string>('email');
  const [value, setValue] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ['customer', c.id] });
  const add = useMutation({
    mutationFn: () => addIdentity(c.id, kind, value),
    onSuccess: () => {
      setValue('');
      void refresh();
    },
  });
  const remove = useMutation({ mutationFn: (i: { kind: string; value: string }) => removeIdentity(c.id, i.kind, i.value), onSuccess: () => void refresh() });
  return (
    <Card title={t('customer.identities')}>
      {c.identities.length === 0 ? (
        <Empty>{t('customer.noIdentities')}</Empty>
      ) : (
        <ul className="plain">
          {c.identities.map((i) => (
            <li key={`${i.kind}:${i.value}`} className="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
              <span>
                <Badge>{t(`identity.${i.kind}`)}</Badge> <span className="mono">{i.value}</span>
              </span>
              <Button variant="ghost" aria-label={t('customer.removeIdentity', { value: i.value })} onClick={() => remove.mutate(i)}>
                {t('common.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <SelectField
          label={t('customer.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          options={IDENTITY_KINDS.map((k) => ({ value: k, label: t(`identity.${k}`) }))}
        />
        <TextField
          label={t('customer.identityValue')}
          value={value}
          required
          onChange={(e) => setValue(e.target.value)}
          error={add.error instanceof ApiError ? (add.error.fieldMessage('value') ?? add.error.message) : undefined}
        />
        <div className="field">
          <Button type="submit" busy={add.isPending} disabled={!value}>
            {t('common.add')}
          </Button>
        </div>
      </form>
      <ErrorNote error={remove.error} />
    </Card>
  );
}

function PreferencesCard({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const save = useSaveCustomer(c.id);
  const p = c.preferences;
  const [channels, setChannels] = useState<string[]>(p?.channels ?? []);
  const [window, setWindow] = useState({ start: p?.contact_window?.start ?? '', end: p?.contact_window?.end ?? '' });
  const [max, setMax] = useState(p?.max_messages_per_week?.toString() ?? '');
  const [language, setLanguage] = useState(p?.language ?? '');
  const [saved, setSaved] = useState(false);
  const m = useMutation({
    mutationFn: () =>
      setPreferences(c.id, {
        channels: channels as Channel[],
        contact_window: window.start && window.end ? { start: window.start, end: window.end, days: p?.contact_window?.days ?? [1, 2, 3, 4, 5, 6, 7] } : null,
        max_messages_per_week: max === '' ? null : Number(max),
        language: language || null,
      }),
    onSuccess: (d) => {
      save(d);
      setSaved(true);
    },
  });
  const err = m.error instanceof ApiError ? m.error : undefined;
  const toggle = (ch: string) => setChannels(channels.includes(ch) ? channels.filter((x) => x !== ch) : [...channels, ch]);
  return (
    <Card title={t('customer.preferences')}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setSaved(false);
          m.mutate();
        }}
      >
        <fieldset className="card" style={{ padding: 8 }}>
          <legend>{t('customer.channelsInOrder')}</legend>
          {CHANNELS.map((ch) => (
            <Checkbox
              key={ch}
              label={`${t(`channel.${ch}`)}${channels.includes(ch) ? ` (${channels.indexOf(ch) + 1})` : ''}`}
              checked={channels.includes(ch)}
              onChange={() => toggle(ch)}
            />
          ))}
        </fieldset>
        <div className="row">
          <TextField
            label={t('customer.windowStart')}
            type="time"
            value={window.start}
            onChange={(e) => setWindow({ ...window, start: e.target.value })}
            error={err?.fieldMessage('start')}
          />
          <TextField
            label={t('customer.windowEnd')}
            type="time"
            value={window.end}
            onChange={(e) => setWindow({ ...window, end: e.target.value })}
            error={err?.fieldMessage('end')}
          />
        </div>
        <div className="row">
          <TextField
            label={t('customer.maxPerWeek')}
            type="number"
            min={0}
            max={100}
            value={max}
            onChange={(e) => setMax(e.target.value)}
            error={err?.fieldMessage('max_messages_per_week')}
          />
          <TextField
            label={t('customer.language')}
            value={language}
            onChange={(e) => setLanguage(e.target.value)}
            placeholder="zh-CN"
            error={err?.fieldMessage('language')}
          />
        </div>
        {saved && (
          <p className="notice" role="status">
            {t('common.saved')}
          </p>
        )}
        <Button type="submit" variant="primary" busy={m.isPending}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}

function Timeline({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState({ types: '', sources: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const toIso = (d: string, end: boolean) => (d ? new Date(`${d}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);
  const items = useInfiniteQuery({
    queryKey: ['timeline', customerId, applied],
    // Changing a filter keeps the current items on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      getTimeline(customerId, {
        limit: 50,
        cursor: pageParam,
        types: applied.types || undefined,
        sources: applied.sources || undefined,
        from: toIso(applied.from, false),
        to: toIso(applied.to, true),
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = items.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('customer.tab.timeline')}>
      <form
        className="row"
        aria-label={t('timeline.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <TextField
          label={t('timeline.types')}
          name="types"
          value={filters.types}
          placeholder="purchase,page_view"
          onChange={(e) => setFilters({ ...filters, types: e.target.value })}
        />
        <TextField
          label={t('timeline.sources')}
          name="sources"
          value={filters.sources}
          placeholder="api,import"
          onChange={(e) => setFilters({ ...filters, sources: e.target.value })}
        />
        <TextField label={t('timeline.from')} type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        <TextField label={t('timeline.to')} type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        <div className="field">
          <Button type="submit" variant="primary">
            {t('timeline.apply')}
          </Button>
        </div>
      </form>
      <ErrorNote error={items.error} />
      {items.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{t('timeline.none')}</Empty>
      ) : (
        <ol className="plain timeline" aria-label={t('customer.tab.timeline')}>
          {rows.map((e) => (
            <li key={e.id} data-type={e.type}>
              <strong>{t(`eventType.${e.type}`, { defaultValue: e.type })}</strong> <Badge>{e.source}</Badge>
              <div className="when">
                <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, i18n.language)}</time>
              </div>
              <EventSummary properties={e.properties} />
            </li>
          ))}
        </ol>
      )}
      {items.hasNextPage && (
        <Button onClick={() => items.fetchNextPage()} busy={items.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}

function EventSummary({ properties }: { properties: Record<string, unknown> }) {
  const entries = Object.entries(properties)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .slice(0, 6);
  if (!entries.length) return null;
  return <div className="muted">{entries.map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</div>;
}

function Consent({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const history = useQuery({ queryKey: ['consent', c.id], queryFn: () => getConsent(c.id) });
  const [form, setForm] = useState({ channel: 'email', purpose: 'marketing', status: 'granted', source: '' });
  const record = useMutation({
    mutationFn: () => recordConsent(c.id, { ...form, source: form.source || 'console' } as ConsentInput),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['consent', c.id] });
      void qc.invalidateQueries({ queryKey: ['customer', c.id] });
    },
  });
  const lng = i18n.language;
  return (
    <>
      <Card title={t('consent.current')}>
        {c.consent.length === 0 ? (
          <Empty>{t('consent.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('consent.channel')}</th>
                  <th>{t('consent.purpose')}</th>
                  <th>{t('consent.status')}</th>
                  <th>{t('consent.source')}</th>
                  <th>{t('consent.when')}</th>
                </tr>
              </thead>
              <tbody>
                {c.consent.map((r) => (
                  <tr key={`${r.channel}:${r.purpose}`}>
                    <td>{t(`channel.${r.channel}`)}</td>
                    <td>{t(`purpose.${r.purpose}`)}</td>
                    <td>
                      <Badge tone={r.status === 'granted' ? 'good' : 'bad'}>{t(`consent.${r.status}`)}</Badge>
                    </td>
                    <td>{r.source}</td>
                    <td>{formatDateTime(r.recorded_at, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            record.mutate();
          }}
        >
          <SelectField
            label={t('consent.channel')}
            value={form.channel}
            onChange={(e) => setForm({ ...form, channel: e.target.value })}
            options={CHANNELS.map((x) => ({ value: x, label: t(`channel.${x}`) }))}
          />
          <SelectField
            label={t('consent.purpose')}
            value={form.purpose}
            onChange={(e) => setForm({ ...form, purpose: e.target.value })}
            options={PURPOSES.map((x) => ({ value: x, label: t(`purpose.${x}`) }))}
          />
          <SelectField
            label={t('consent.status')}
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value })}
            options={[
              { value: 'granted', label: t('consent.granted') },
              { value: 'withdrawn', label: t('consent.withdrawn') },
            ]}
          />
          <TextField
            label={t('consent.source')}
            value={form.source}
            placeholder={t('consent.sourceHint')}
            onChange={(e) => setForm({ ...form, source: e.target.value })}
          />
          <div className="field">
            <Button type="submit" busy={record.isPending}>
              {t('consent.record')}
            </Button>
          </div>
        </form>
        <ErrorNote error={record.error} />
      </Card>
      <Card title={t('consent.history')}>
        {history.isPending ? (
          <Loading />
        ) : history.error ? (
          <ErrorNote error={history.error} />
        ) : history.data.history.length === 0 ? (
          <Empty>{t('consent.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('consent.when')}</th>
                  <th>{t('consent.channel')}</th>
                  <th>{t('consent.purpose')}</th>
                  <th>{t('consent.status')}</th>
                  <th>{t('consent.source')}</th>
                </tr>
              </thead>
              <tbody>
                {[...history.data.history].reverse().map((r) => (
                  <tr key={r.id}>
                    <td>{formatDateTime(r.recorded_at, lng)}</td>
                    <td>{t(`channel.${r.channel}`)}</td>
                    <td>{t(`purpose.${r.purpose}`)}</td>
                    <td>{t(`consent.${r.status}`)}</td>
                    <td>{r.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function Merges({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const merges = useQuery({ queryKey: ['merges', c.id], queryFn: () => listMerges(c.id) });
  const [other, setOther] = useState('');
  const preview = useQuery({ queryKey: ['customer', other], queryFn: () => getCustomer(other), enabled: false });
  const merge = useMutation({
    mutationFn: () => mergeCustomer(c.id, other),
    onSuccess: () => {
      setOther('');
      void qc.invalidateQueries({ queryKey: ['customer', c.id] });
      void qc.invalidateQueries({ queryKey: ['merges', c.id] });
      void qc.invalidateQueries({ queryKey: ['customers'] });
    },
  });
  const lng = i18n.language;
  const candidate = preview.data && preview.data.id !== c.id ? preview.data : undefined;
  return (
    <>
      <Card title={t('merge.history')}>
        {merges.isPending ? (
          <Loading />
        ) : merges.error ? (
          <ErrorNote error={merges.error} />
        ) : merges.data.data.length === 0 ? (
          <Empty>{t('merge.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('merge.when')}</th>
                  <th>{t('merge.survivor')}</th>
                  <th>{t('merge.merged')}</th>
                  <th>{t('merge.rule')}</th>
                </tr>
              </thead>
              <tbody>
                {merges.data.data.map((m) => (
                  <tr key={m.id}>
                    <td>{formatDateTime(m.at, lng)}</td>
                    <td className="mono">{m.survivor_id}</td>
                    <td className="mono">{m.merged_id}</td>
                    <td>{m.rule}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={t('merge.title')}>
        <p className="muted">{t('merge.explain')}</p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void preview.refetch();
          }}
        >
          <TextField label={t('merge.otherId')} value={other} onChange={(e) => setOther(e.target.value.trim())} placeholder="cus_..." />
          <div className="field">
            <Button type="submit" disabled={!other}>
              {t('merge.preview')}
            </Button>
          </div>
        </form>
        <ErrorNote error={preview.error} />
        {candidate && (
          <div className="grid">
            <MergeSide title={t('merge.keeps')} c={c} />
            <MergeSide title={t('merge.absorbs')} c={candidate} />
            <div>
              <Button variant="danger" busy={merge.isPending} onClick={() => merge.mutate()}>
                {t('merge.confirm', { other: customerName(candidate, lng) })}
              </Button>
              <ErrorNote error={merge.error} />
            </div>
          </div>
        )}
      </Card>
    </>
  );
}

function MergeSide({ title, c }: { title: string; c: Customer }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="card">
      <h3>
        {title}: {customerName(c, i18n.language)}
      </h3>
      <p className="mono muted">{c.id}</p>
      <ul className="plain">
        {c.identities.map((i) => (
          <li key={`${i.kind}:${i.value}`}>
            {t(`identity.${i.kind}`)}: <span className="mono">{i.value}</span>
          </li>
        ))}
      </ul>
      <p className="muted">
        {t('customer.events')}: {c.activity.event_count} · {t('customers.orders')}: {c.activity.order_count}
      </p>
    </div>
  );
}
