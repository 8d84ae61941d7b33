// The customer's own space: sign in with a one-time code or link, then profile, history, rewards,
// preferences and consent, and their data (download, erasure). Everything here is the signed-in
// customer's only: the API behind it answers to the portal session cookie alone.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get, qs } from '../shared/api.js';
import { LANGUAGES, setLanguage, isLanguage, type Language } from '../shared/i18n.js';
import { Badge, Button, Card, Checkbox, Empty, ErrorNote, Loading, TextField, formatDateTime } from '../shared/ui.js';

const CHANNELS = ['email', 'sms', 'wechat', 'weibo', 'webchat', 'phone', 'whatsapp', 'app_push'] as const;
// The channels a customer is offered consent for; transactional messages need none.
const CONSENT_CHANNELS = ['email', 'sms', 'wechat', 'app_push'] as const;
const CONSENT_PURPOSES = ['marketing', 'service'] as const;

interface Me {
  id: string; tenant_name: string | null; given_name: string | null; family_name: string | null; display_name: string | null; locale: string | null; timezone: string | null;
  identities: { kind: string; value: string }[];
  preferences: { channels: string[]; contact_window: { start: string; end: string; days: number[] } | null; max_messages_per_week: number | null; language: string | null } | null;
  consent: { channel: string; purpose: string; status: string; recorded_at: string }[];
  activity: { first_seen_at: string | null; order_count: number };
}

export function PortalApp() {
  return (
    <Routes>
      <Route path="/:tenant/sign-in" element={<SignIn />} />
      <Route path="/:tenant/*" element={<Account />} />
      <Route path="*" element={<NoTenant />} />
    </Routes>
  );
}

function NoTenant() {
  const { t } = useTranslation();
  return <main className="portal"><Card title={t('portal.signIn.titleNoTenant')}><p>{t('portal.signIn.noTenant')}</p></Card></main>;
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const change = async (lng: Language) => {
    await setLanguage(lng);
    // Signed in: the customer's profile remembers the language too, so messages follow it.
    if (qc.getQueryData(['portal-me'])) qc.setQueryData(['portal-me'], await api<Me>('PATCH', '/v1/portal/me', { locale: lng }).catch(() => qc.getQueryData(['portal-me'])));
  };
  return (
    <select className="lang-switch" aria-label={t('common.language')} value={i18n.language} onChange={(e) => void change(e.target.value as Language)}>
      {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
    </select>
  );
}

function SignIn() {
  const { tenant = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [stage, setStage] = useState<'email' | 'code' | 'link'>(location.hash.includes('token=') ? 'link' : 'email');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const tried = useRef(false);

  const done = async () => { qc.removeQueries({ queryKey: ['portal-me'] }); navigate(`/${tenant}/`, { replace: true }); };
  const explain = (err: unknown) => setError(err instanceof ApiError && err.status === 429 ? t('portal.signIn.tooMany') : err instanceof ApiError && err.status === 401 ? t('portal.signIn.wrong') : err instanceof ApiError && err.status === 422 ? err.fields[0]?.message ?? err.message : t('common.error'));

  // The link carries its token in the #fragment, which browsers never send to a server or in a Referer.
  useEffect(() => {
    if (stage !== 'link' || tried.current) return;
    tried.current = true;
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    history.replaceState(null, '', location.pathname);
    api('POST', '/v1/portal/sign-in/verify', { tenant, token }).then(done, () => { setStage('email'); setError(t('portal.signIn.linkFailed')); });
  }, [stage]); // eslint-disable-line react-hooks/exhaustive-deps

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      await api('POST', '/v1/portal/sign-in', { tenant, email, locale: i18n.language });
      setStage('code');
    } catch (err) { explain(err); } finally { setBusy(false); }
  }
  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      await api('POST', '/v1/portal/sign-in/verify', { tenant, email, code: code.replace(/\s/g, '') });
      await done();
    } catch (err) { explain(err); } finally { setBusy(false); }
  }

  return (
    <main className="portal">
      <div className="portal-head"><span className="brand">{tenant}</span><LanguageSwitch /></div>
      <Card className="sign-in" title={t('portal.signIn.title', { tenant })}>
        {stage === 'link' ? <p role="status">{t('portal.signIn.checking')}</p> : stage === 'email' ? (
          <form onSubmit={send}>
            <p className="muted">{t('portal.signIn.explain')}</p>
            <TextField label={t('portal.signIn.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            {error && <div className="alert" role="alert">{error}</div>}
            <Button type="submit" variant="primary" busy={busy} disabled={!email}>{t('portal.signIn.send')}</Button>
          </form>
        ) : (
          <form onSubmit={verify}>
            <p className="notice" role="status">{t('portal.signIn.sent')}</p>
            <TextField label={t('portal.signIn.code')} name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={7} required value={code} onChange={(e) => setCode(e.target.value)} />
            {error && <div className="alert" role="alert">{error}</div>}
            <div className="row">
              <Button type="submit" variant="primary" busy={busy} disabled={code.replace(/\s/g, '').length !== 6}>{t('portal.signIn.verify')}</Button>
              <Button variant="ghost" onClick={() => { setStage('email'); setCode(''); setError(undefined); }}>{t('portal.signIn.another')}</Button>
            </div>
          </form>
        )}
      </Card>
    </main>
  );
}

function useMe() {
  return useQuery({
    queryKey: ['portal-me'],
    queryFn: async () => {
      try {
        return await get<Me>('/v1/portal/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
  });
}

function displayName(me: Me, lng: string) {
  if (me.display_name) return me.display_name;
  const parts = lng.startsWith('zh') ? [me.family_name, me.given_name] : [me.given_name, me.family_name];
  return parts.filter(Boolean).join(lng.startsWith('zh') ? '' : ' ') || me.identities[0]?.value || '';
}

function Account() {
  const { tenant = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [erased, setErased] = useState(false);

  // The customer's own language choice, kept on their profile, wins in any browser.
  useEffect(() => {
    const lng = me.data?.locale;
    if (isLanguage(lng) && lng !== i18n.language) void setLanguage(lng);
  }, [me.data?.locale]); // eslint-disable-line react-hooks/exhaustive-deps

  if (erased) return <main className="portal"><p className="notice" role="status">{t('portal.privacy.erased')}</p></main>;
  if (me.isPending) return <main className="portal"><Loading /></main>;
  if (me.error) return <main className="portal"><ErrorNote error={me.error} /></main>;
  if (!me.data) return <Navigate to={`/${tenant}/sign-in`} replace />;
  const data = me.data;
  const signOut = async () => { await api('POST', '/v1/portal/sign-out').catch(() => undefined); qc.clear(); navigate(`/${tenant}/sign-in`); };
  const tabs = [['', 'profile'], ['history', 'history'], ['rewards', 'rewards'], ['preferences', 'preferences'], ['privacy', 'privacy']] as const;
  return (
    <div className="portal">
      <a className="skip-link" href="#main">{t('common.skipToContent')}</a>
      <header className="portal-head">
        <span className="brand">{data.tenant_name ?? tenant}</span>
        <div className="row" style={{ alignItems: 'center' }}><LanguageSwitch /><Button variant="ghost" onClick={signOut}>{t('portal.signOut')}</Button></div>
      </header>
      <h1>{t('portal.hello', { name: displayName(data, i18n.language) })}</h1>
      <nav className="portal-tabs" aria-label={t('portal.sections')}>
        {tabs.map(([path, key]) => <NavLink key={key} to={`/${tenant}/${path}`} end>{t(`portal.tab.${key}`)}</NavLink>)}
      </nav>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route index element={<Profile me={data} />} />
          <Route path="history" element={<History />} />
          <Route path="rewards" element={<Rewards />} />
          <Route path="preferences" element={<><Preferences me={data} /><Consent me={data} /></>} />
          <Route path="privacy" element={<Privacy onErased={() => { qc.clear(); setErased(true); }} />} />
        </Routes>
      </main>
    </div>
  );
}

interface MyLoyalty {
  points: { available: number; pending: number; expiring: number; expiring_at: string | null };
  tier: { id: string | null; name: string | null; next_name: string | null; to_next: number | null };
  rewards: { id: string; offer_id: string | null; name: string; description: string | null; cost_points: number; in_stock: boolean; is_affordable: boolean }[];
}
interface Voucher { voucher_code: string; expires_at: string; points: number; loyalty: MyLoyalty }

/** Points, tier progress and the rewards the customer can choose; redeeming shows the voucher at once. */
function Rewards() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const loyalty = useQuery({ queryKey: ['portal-loyalty'], queryFn: () => get<MyLoyalty>('/v1/portal/me/loyalty') });
  const [voucher, setVoucher] = useState<(Voucher & { reward: string }) | null>(null);
  const redeem = useMutation({
    // One key per click: a network retry of the same click redeems once.
    mutationFn: (r: { id: string; offer_id: string | null; name: string }) => api<Voucher>('POST', '/v1/portal/me/redemptions', {
      reward_id: r.id, ...(r.offer_id ? { offer_id: r.offer_id } : {}), idempotency_key: `${r.id}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`,
    }),
    onSuccess: (v, r) => {
      setVoucher({ ...v, reward: r.name });
      qc.setQueryData(['portal-loyalty'], v.loyalty);
      void qc.invalidateQueries({ queryKey: ['portal-vouchers'] });
      void qc.invalidateQueries({ queryKey: ['portal-points'] });
    },
  });
  if (loyalty.isPending) return <Loading />;
  if (loyalty.error) return <ErrorNote error={loyalty.error} />;
  const l = loyalty.data;
  const num = new Intl.NumberFormat(i18n.language);
  return (
    <>
      <Card title={t('portal.rewards.title')}>
        <p className="portal-points" data-testid="points"><strong>{num.format(l.points.available)}</strong> {t('portal.rewards.points')}</p>
        {l.points.pending > 0 && <p className="muted">{t('portal.rewards.pending', { points: num.format(l.points.pending) })}</p>}
        {l.points.expiring > 0 && l.points.expiring_at && <p className="muted">{t('portal.rewards.expiring', { points: num.format(l.points.expiring), date: formatDateTime(l.points.expiring_at, i18n.language) })}</p>}
        <p>{l.tier.name ? t('portal.rewards.tier', { tier: l.tier.name }) : t('portal.rewards.noTier')}
          {l.tier.next_name && l.tier.to_next != null && <> · {t('portal.rewards.toNext', { points: num.format(l.tier.to_next), tier: l.tier.next_name })}</>}</p>
      </Card>
      {voucher && (
        <Card title={t('portal.rewards.voucherTitle', { reward: voucher.reward })}>
          <p role="status">{t('portal.rewards.voucher')} <strong data-testid="voucher">{voucher.voucher_code}</strong></p>
          <p className="muted">{t('portal.rewards.voucherUntil', { date: formatDateTime(voucher.expires_at, i18n.language) })}</p>
        </Card>
      )}
      <Card title={t('portal.rewards.catalogue')}>
        {!l.rewards.length ? <Empty>{t('portal.rewards.none')}</Empty> : (
          <ul className="portal-rewards">
            {l.rewards.map((r) => (
              <li key={`${r.id}:${r.offer_id ?? ''}`}>
                <div><strong>{r.name}</strong>{r.description && <p className="muted">{r.description}</p>}</div>
                <div className="row" style={{ alignItems: 'center' }}>
                  <span>{t('portal.rewards.cost', { points: num.format(r.cost_points) })}</span>
                  <Button variant="primary" disabled={!r.is_affordable || redeem.isPending} aria-label={t('portal.rewards.redeemLabel', { reward: r.name })}
                    onClick={() => { if (window.confirm(t('portal.rewards.confirm', { reward: r.name, points: num.format(r.cost_points) }))) redeem.mutate(r); }}>
                    {!r.in_stock ? t('portal.rewards.soldOut') : t('portal.rewards.redeem')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
        <ErrorNote error={redeem.error} />
      </Card>
      <MyVouchers />
      <PointsHistory />
    </>
  );
}

interface MyVoucher { redemption_id: string; reward_name: string; code: string; points: number; status: 'issued' | 'used' | 'cancelled' | 'expired'; issued_at: string; expires_at: string }

/** Every voucher the customer's redemptions issued, so a code shown once is never lost. */
function MyVouchers() {
  const { t, i18n } = useTranslation();
  const vouchers = useQuery({ queryKey: ['portal-vouchers'], queryFn: () => get<{ data: MyVoucher[] }>('/v1/portal/me/vouchers') });
  const tone = { issued: 'good', used: 'neutral', cancelled: 'neutral', expired: 'warn' } as const;
  return (
    <Card title={t('portal.rewards.vouchers')}>
      {vouchers.isPending ? <Loading /> : vouchers.error ? <ErrorNote error={vouchers.error} /> : !vouchers.data.data.length ? <Empty>{t('portal.rewards.noVouchers')}</Empty> : (
        <table className="portal-table">
          <thead><tr><th>{t('portal.rewards.reward')}</th><th>{t('portal.rewards.code')}</th><th>{t('portal.rewards.status')}</th><th>{t('portal.rewards.expires')}</th></tr></thead>
          <tbody>
            {vouchers.data.data.map((v) => (
              <tr key={v.redemption_id} data-voucher={v.code} data-status={v.status}>
                <td>{v.reward_name}</td><td><code>{v.code}</code></td>
                <td><Badge tone={tone[v.status]}>{t(`portal.rewards.voucherStatus.${v.status}`)}</Badge></td>
                <td>{formatDateTime(v.expires_at, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

interface PointsLine { transaction_id: string; at: string; movement: string; reason: string; reference: string | null; points: number; pending: number }

/** Where the points came from and went: earned, pending, spent and expired, each with its reason. */
function PointsHistory() {
  const { t, i18n } = useTranslation();
  const history = useQuery({ queryKey: ['portal-points'], queryFn: () => get<{ data: PointsLine[] }>('/v1/portal/me/points') });
  const num = new Intl.NumberFormat(i18n.language, { signDisplay: 'exceptZero' });
  // engagement:survey reads as "Taking part (survey)"; unknown reasons show as the ledger wrote them.
  const reason = (r: string) => {
    const [head, detail] = r.split(':');
    const name = t(`portal.rewards.reasons.${head}`, { defaultValue: head });
    return detail ? `${name} (${detail})` : name;
  };
  return (
    <Card title={t('portal.rewards.historyTitle')}>
      {history.isPending ? <Loading /> : history.error ? <ErrorNote error={history.error} /> : !history.data.data.length ? <Empty>{t('portal.rewards.noHistory')}</Empty> : (
        <table className="portal-table">
          <thead><tr><th>{t('portal.rewards.when')}</th><th>{t('portal.rewards.what')}</th><th>{t('portal.rewards.change')}</th></tr></thead>
          <tbody>
            {history.data.data.map((l) => (
              <tr key={l.transaction_id} data-movement={l.movement}>
                <td>{formatDateTime(l.at, i18n.language)}</td>
                <td><strong>{t(`portal.rewards.movement.${l.movement}`, { defaultValue: l.movement })}</strong> · {reason(l.reason)}</td>
                <td>{l.points !== 0 && num.format(l.points)}{l.pending !== 0 && <span className="muted"> {t('portal.rewards.pendingPoints', { points: num.format(l.pending) })}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function useSetMe() {
  const qc = useQueryClient();
  return (me: Me) => qc.setQueryData(['portal-me'], me);
}

function Profile({ me }: { me: Me }) {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const [form, setForm] = useState({ given_name: me.given_name ?? '', family_name: me.family_name ?? '', display_name: me.display_name ?? '' });
  const save = useMutation({ mutationFn: () => api<Me>('PATCH', '/v1/portal/me', Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || null]))), onSuccess: setMe });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <Card title={t('portal.profile.title')}>
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <div className="row">
            <TextField label={t('customer.familyName')} value={form.family_name} onChange={set('family_name')} autoComplete="family-name" error={err?.fieldMessage('family_name')} />
            <TextField label={t('customer.givenName')} value={form.given_name} onChange={set('given_name')} autoComplete="given-name" error={err?.fieldMessage('given_name')} />
          </div>
          <TextField label={t('customer.displayName')} value={form.display_name} onChange={set('display_name')} autoComplete="nickname" error={err?.fieldMessage('display_name')} />
          {save.isSuccess && <p className="notice" role="status">{t('portal.profile.saved')}</p>}
          {err && !err.fields.length && <ErrorNote error={err} />}
          <Button type="submit" variant="primary" busy={save.isPending}>{t('common.save')}</Button>
        </form>
      </Card>
      <Card title={t('portal.profile.identities')}>
        <ul className="plain">{me.identities.map((i) => <li key={`${i.kind}:${i.value}`}><Badge>{t(`identity.${i.kind}`)}</Badge> {i.value}</li>)}</ul>
      </Card>
    </>
  );
}

interface Item { id: string; type: string; occurred_at: string; source: string; properties: Record<string, unknown> }

function History() {
  const { t, i18n } = useTranslation();
  const items = useInfiniteQuery({
    queryKey: ['portal-history'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => get<{ data: Item[]; next_cursor: string | null }>(`/v1/portal/me/timeline${qs({ limit: 30, cursor: pageParam })}`),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = items.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('portal.history.title')}>
      <ErrorNote error={items.error} />
      {items.isPending ? <Loading /> : rows.length === 0 ? <Empty>{t('portal.history.none')}</Empty> : (
        <ol className="plain timeline">
          {rows.map((e) => (
            <li key={e.id}>
              <strong>{t(`eventType.${e.type}`, { defaultValue: e.type })}</strong>
              <div className="when"><time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, i18n.language)}</time></div>
              {typeof e.properties.text === 'string' && <p style={{ margin: '4px 0' }}>{e.properties.text}</p>}
              {typeof e.properties.reply === 'string' && <p style={{ margin: '4px 0' }}><Badge tone="info">{t('portal.history.reply')}</Badge> {e.properties.reply}</p>}
              {typeof e.properties.amount === 'number' && <p className="muted" style={{ margin: 0 }}>{e.properties.amount} {String(e.properties.currency ?? '')}</p>}
            </li>
          ))}
        </ol>
      )}
      {items.hasNextPage && <Button onClick={() => items.fetchNextPage()} busy={items.isFetchingNextPage}>{t('common.loadMore')}</Button>}
    </Card>
  );
}

function Preferences({ me }: { me: Me }) {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const p = me.preferences;
  const [channels, setChannels] = useState<string[]>(p?.channels ?? []);
  const [win, setWin] = useState({ start: p?.contact_window?.start ?? '', end: p?.contact_window?.end ?? '' });
  const [max, setMax] = useState(p?.max_messages_per_week?.toString() ?? '');
  const [language, setLang] = useState(p?.language ?? '');
  const save = useMutation({
    mutationFn: () => api<Me>('PUT', '/v1/portal/me/preferences', {
      channels, contact_window: win.start && win.end ? { start: win.start, end: win.end, days: p?.contact_window?.days ?? [1, 2, 3, 4, 5, 6, 7] } : null,
      max_messages_per_week: max === '' ? null : Number(max), language: language || null,
    }),
    onSuccess: setMe,
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const toggle = (ch: string) => setChannels(channels.includes(ch) ? channels.filter((x) => x !== ch) : [...channels, ch]);
  return (
    <Card title={t('portal.prefs.title')}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <fieldset className="card" style={{ padding: 8 }}>
          <legend>{t('customer.channelsInOrder')}</legend>
          <div className="consent-grid">{CHANNELS.map((ch) => <Checkbox key={ch} name={`channel-${ch}`} label={`${t(`channel.${ch}`)}${channels.includes(ch) ? ` (${channels.indexOf(ch) + 1})` : ''}`} checked={channels.includes(ch)} onChange={() => toggle(ch)} />)}</div>
        </fieldset>
        <div className="row">
          <TextField label={t('customer.windowStart')} type="time" value={win.start} onChange={(e) => setWin({ ...win, start: e.target.value })} error={err?.fieldMessage('start')} />
          <TextField label={t('customer.windowEnd')} type="time" value={win.end} onChange={(e) => setWin({ ...win, end: e.target.value })} error={err?.fieldMessage('end')} />
          <TextField label={t('customer.maxPerWeek')} type="number" min={0} max={100} value={max} onChange={(e) => setMax(e.target.value)} error={err?.fieldMessage('max_messages_per_week')} />
        </div>
        <div className="field">
          <label htmlFor="pref-language">{t('customer.language')}</label>
          <select id="pref-language" value={language} onChange={(e) => setLang(e.target.value)}>
            <option value="">—</option>
            {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
          </select>
        </div>
        {save.isSuccess && <p className="notice" role="status">{t('portal.prefs.saved')}</p>}
        {err && !err.fields.length && <ErrorNote error={err} />}
        <Button type="submit" variant="primary" busy={save.isPending}>{t('common.save')}</Button>
      </form>
    </Card>
  );
}

function Consent({ me }: { me: Me }) {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const qc = useQueryClient();
  const record = useMutation({
    mutationFn: (c: { channel: string; purpose: string; status: string }) => api<Me>('POST', '/v1/portal/me/consent', c),
    // The switch moves at once; a refusal puts it back from the server's answer.
    onMutate: (c) => qc.setQueryData<Me>(['portal-me'], (old) => old && { ...old, consent: [...old.consent.filter((x) => x.channel !== c.channel || x.purpose !== c.purpose), { ...c, recorded_at: new Date().toISOString() }] }),
    onSuccess: setMe,
    onError: () => void qc.invalidateQueries({ queryKey: ['portal-me'] }),
  });
  // The switch follows the click in the same render (a controlled checkbox waiting for the query
  // cache would snap back first); the server's answer, or a refusal's refetch, settles it.
  const [moving, setMoving] = useState<Record<string, boolean>>({});
  const isOn = (channel: string, purpose: string) => moving[`${channel}:${purpose}`] ?? me.consent.some((c) => c.channel === channel && c.purpose === purpose && c.status === 'granted');
  return (
    <Card title={t('portal.consent.title')}>
      <p className="muted">{t('portal.consent.explain')}</p>
      <div className="consent-grid">
        {CONSENT_PURPOSES.flatMap((purpose) => CONSENT_CHANNELS.map((channel) => (
          <Checkbox key={`${purpose}:${channel}`} name={`consent-${channel}-${purpose}`}
            label={t('portal.consent.toggle', { purpose: t(`purpose.${purpose}`), channel: t(`channel.${channel}`) })}
            checked={isOn(channel, purpose)} onChange={(e) => {
              const key = `${channel}:${purpose}`;
              const isChecked = e.target.checked;
              setMoving((m) => ({ ...m, [key]: isChecked }));
              record.mutate({ channel, purpose, status: isChecked ? 'granted' : 'withdrawn' }, { onSettled: () => setMoving(({ [key]: _, ...rest }) => rest) });
            }} />
        )))}
      </div>
      <ErrorNote error={record.error} />
    </Card>
  );
}

function Privacy({ onErased }: { onErased: () => void }) {
  const { t } = useTranslation();
  const [sure, setSure] = useState(false);
  const erase = useMutation({ mutationFn: () => api('POST', '/v1/portal/me/erase', { confirm: true }), onSuccess: onErased });
  return (
    <>
      <Card title={t('portal.privacy.title')}>
        <p className="muted">{t('portal.privacy.downloadExplain')}</p>
        {/* A plain link: the browser downloads the attachment with the session cookie. */}
        <a className="btn btn-primary" href="/v1/portal/me/export" download>{t('portal.privacy.download')}</a>
      </Card>
      <Card title={t('portal.privacy.eraseTitle')}>
        <p>{t('portal.privacy.eraseExplain')}</p>
        <Checkbox label={t('portal.privacy.eraseConfirm')} checked={sure} onChange={(e) => setSure(e.target.checked)} />
        <Button variant="danger" disabled={!sure} busy={erase.isPending} onClick={() => erase.mutate()}>{t('portal.privacy.erase')}</Button>
        <ErrorNote error={erase.error} />
      </Card>
    </>
  );
}
