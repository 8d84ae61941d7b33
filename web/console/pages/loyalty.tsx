// Loyalty admin: the programme's earning rules and tiers (one document, saved whole), a dry run that
// explains what a purchase would earn, the rewards catalogue, and the finance view of what the
// points owe.
import { useState } from 'react';
import { useOutletContext } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get } from '../../shared/api.js';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Empty,
  ErrorNote,
  Loading,
  PageHeader,
  Problems,
  SelectField,
  TextField,
  formatMoney,
  formatNumber,
} from '../../shared/ui.js';

interface Rate {
  id: string;
  tier?: string;
  category?: string;
  store_id?: string;
  rate: number;
}
interface Tier {
  id: string;
  name: string;
  threshold: number;
  earn_multiplier: number;
  priority_routing: boolean;
}
interface Program {
  point_value: number;
  expected_redemption_rate: number;
  pending_days: number;
  expiry: { policy: 'never' | 'fixed_days' | 'end_of_month' | 'end_of_year'; days: number; months: number; years: number; warning_days: number };
  purchase: { base_rate: number; rates: Rate[]; campaigns: unknown[]; caps: { per_purchase?: number; per_customer_per_day?: number } };
  engagement: Partial<Record<Engagement, { points: number; max_per_day?: number; max_per_month?: number; max_total?: number }>>;
  tiers: Tier[];
  tier_qualification: { metric: 'points' | 'spend'; window: string; rolling_days: number; grace_days: number };
  [k: string]: unknown;
}
type Engagement = 'review' | 'survey' | 'referral' | 'share' | 'check_in' | 'profile_completed';
const ENGAGEMENTS: Engagement[] = ['review', 'survey', 'referral', 'share', 'check_in', 'profile_completed'];
const num = (v: string) => (v === '' ? 0 : Number(v));
const opt = (v: string) => (v.trim() ? v.trim() : undefined);

export default function LoyaltyPage() {
  const { t } = useTranslation();
  const program = useQuery({ queryKey: ['loyalty-program'], queryFn: () => get<Program>('/v1/loyalty/program') });
  // The finance view is an admin's (the API refuses it to others); asking for it anyway fails in the console.
  const { isAdmin } = useOutletContext<{ isAdmin: boolean }>();
  return (
    <>
      <PageHeader title={t('loyalty.title')} subtitle={t('loyalty.subtitle')} />
      {program.isPending ? <Loading /> : program.error ? <ErrorNote error={program.error} /> : <ProgramEditor initial={program.data} />}
      <div className="grid">
        <DryRun tiers={program.data?.tiers ?? []} />
        <Rewards tiers={program.data?.tiers ?? []} />
      </div>
      {isAdmin && <Liability />}
    </>
  );
}

function ProgramEditor({ initial }: { initial: Program }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [p, setP] = useState<Program>(initial);
  const setPurchase = (x: Partial<Program['purchase']>) => setP({ ...p, purchase: { ...p.purchase, ...x } });
  const setRate = (i: number, r: Partial<Rate>) => setPurchase({ rates: p.purchase.rates.map((x, j) => (j === i ? { ...x, ...r } : x)) });
  const setTier = (i: number, x: Partial<Tier>) => setP({ ...p, tiers: p.tiers.map((y, j) => (j === i ? { ...y, ...x } : y)) });
  const save = useMutation({ mutationFn: () => api<Program>('PUT', '/v1/loyalty/program', p), onSuccess: (r) => qc.setQueryData(['loyalty-program'], r) });
  const review = useMutation({ mutationFn: () => api<{ reviewed: number; changed: number }>('POST', '/v1/loyalty/tiers/review') });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const tierOptions = [{ value: '', label: t('loyalty.any') }, ...p.tiers.map((x) => ({ value: x.id, label: x.name }))];
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Card title={t('loyalty.rules')}>
        <div className="row">
          <TextField
            type="number"
            step="any"
            min={0}
            label={t('loyalty.baseRate')}
            value={p.purchase.base_rate}
            onChange={(e) => setPurchase({ base_rate: num(e.target.value) })}
          />
          <TextField
            type="number"
            step="any"
            min={0}
            label={t('loyalty.pointValue')}
            value={p.point_value}
            onChange={(e) => setP({ ...p, point_value: num(e.target.value) })}
          />
          <TextField
            type="number"
            min={0}
            label={t('loyalty.pendingDays')}
            value={p.pending_days}
            onChange={(e) => setP({ ...p, pending_days: num(e.target.value) })}
          />
          <TextField
            type="number"
            min={0}
            label={t('loyalty.perPurchaseCap')}
            value={p.purchase.caps.per_purchase ?? ''}
            onChange={(e) => setPurchase({ caps: { ...p.purchase.caps, per_purchase: e.target.value === '' ? undefined : num(e.target.value) } })}
          />
        </div>
        <div className="row">
          <SelectField
            label={t('loyalty.expiry')}
            value={p.expiry.policy}
            onChange={(e) => setP({ ...p, expiry: { ...p.expiry, policy: e.target.value as Program['expiry']['policy'] } })}
            options={(['never', 'fixed_days', 'end_of_month', 'end_of_year'] as const).map((x) => ({ value: x, label: t(`loyalty.expiryPolicy.${x}`) }))}
          />
          {p.expiry.policy === 'fixed_days' && (
            <TextField
              type="number"
              min={1}
              label={t('loyalty.expiryDays')}
              value={p.expiry.days}
              onChange={(e) => setP({ ...p, expiry: { ...p.expiry, days: num(e.target.value) } })}
            />
          )}
        </div>
        <h3>{t('loyalty.rates')}</h3>
        {p.purchase.rates.map((r, i) => (
          <div className="row rate-row" key={i}>
            <TextField label={t('loyalty.rateId')} value={r.id} onChange={(e) => setRate(i, { id: e.target.value })} />
            <TextField label={t('loyalty.category')} value={r.category ?? ''} onChange={(e) => setRate(i, { category: opt(e.target.value) })} />
            <TextField label={t('loyalty.store')} value={r.store_id ?? ''} onChange={(e) => setRate(i, { store_id: opt(e.target.value) })} />
            <SelectField label={t('loyalty.tier')} value={r.tier ?? ''} onChange={(e) => setRate(i, { tier: opt(e.target.value) })} options={tierOptions} />
            <TextField type="number" step="any" min={0} label={t('loyalty.rate')} value={r.rate} onChange={(e) => setRate(i, { rate: num(e.target.value) })} />
            <div className="field">
              <Button variant="ghost" onClick={() => setPurchase({ rates: p.purchase.rates.filter((_, j) => j !== i) })}>
                {t('loyalty.removeRate', { id: r.id })}
              </Button>
            </div>
          </div>
        ))}
        <Button onClick={() => setPurchase({ rates: [...p.purchase.rates, { id: `rate_${p.purchase.rates.length + 1}`, rate: 1 }] })}>
          {t('loyalty.addRate')}
        </Button>
        {p.purchase.campaigns.length > 0 && <p className="muted">{t('loyalty.campaigns', { count: p.purchase.campaigns.length })}</p>}
        <h3>{t('loyalty.engagement')}</h3>
        <div className="row">
          {ENGAGEMENTS.map((k) => (
            <TextField
              key={k}
              type="number"
              min={0}
              label={t(`loyalty.engagementKind.${k}`)}
              value={p.engagement[k]?.points ?? ''}
              onChange={(e) => {
                const engagement = { ...p.engagement };
                if (e.target.value === '') delete engagement[k];
                else engagement[k] = { ...engagement[k], points: num(e.target.value) };
                setP({ ...p, engagement });
              }}
            />
          ))}
        </div>
      </Card>
      <Card
        title={t('loyalty.tiers')}
        actions={
          <Button onClick={() => review.mutate()} busy={review.isPending}>
            {t('loyalty.review')}
          </Button>
        }
      >
        {review.data && (
          <p className="notice" role="status">
            {t('loyalty.reviewed', review.data)}
          </p>
        )}
        <ErrorNote error={review.error} />
        {p.tiers.map((x, i) => (
          <div className="row" key={i}>
            <TextField label={t('loyalty.tierId')} value={x.id} onChange={(e) => setTier(i, { id: e.target.value })} />
            <TextField label={t('loyalty.tierName')} value={x.name} onChange={(e) => setTier(i, { name: e.target.value })} />
            <TextField
              type="number"
              min={0}
              label={t('loyalty.threshold')}
              value={x.threshold}
              onChange={(e) => setTier(i, { threshold: num(e.target.value) })}
            />
            <TextField
              type="number"
              step="any"
              min={0}
              label={t('loyalty.multiplier')}
              value={x.earn_multiplier}
              onChange={(e) => setTier(i, { earn_multiplier: num(e.target.value) })}
            />
            <div className="field">
              <Checkbox
                label={t('loyalty.priorityRouting')}
                checked={x.priority_routing}
                onChange={(e) => setTier(i, { priority_routing: e.target.checked })}
              />
            </div>
            <div className="field">
              <Button variant="ghost" onClick={() => setP({ ...p, tiers: p.tiers.filter((_, j) => j !== i) })}>
                {t('loyalty.removeTier', { name: x.name })}
              </Button>
            </div>
          </div>
        ))}
        <Button
          onClick={() =>
            setP({ ...p, tiers: [...p.tiers, { id: `tier_${p.tiers.length + 1}`, name: '', threshold: 0, earn_multiplier: 1, priority_routing: false }] })
          }
        >
          {t('loyalty.addTier')}
        </Button>
        <div className="row">
          <SelectField
            label={t('loyalty.qualification')}
            value={p.tier_qualification.metric}
            onChange={(e) => setP({ ...p, tier_qualification: { ...p.tier_qualification, metric: e.target.value as 'points' | 'spend' } })}
            options={(['points', 'spend'] as const).map((x) => ({ value: x, label: t(`loyalty.metric.${x}`) }))}
          />
          <TextField
            type="number"
            min={0}
            label={t('loyalty.graceDays')}
            value={p.tier_qualification.grace_days}
            onChange={(e) => setP({ ...p, tier_qualification: { ...p.tier_qualification, grace_days: num(e.target.value) } })}
          />
        </div>
      </Card>
      <Problems error={err} />
      {save.isSuccess && (
        <p className="notice" role="status">
          {t('loyalty.saved')}
        </p>
      )}
      <p>
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('loyalty.save')}
        </Button>
      </p>
    </form>
  );
}

function DryRun({ tiers }: { tiers: Tier[] }) {
  const { t } = useTranslation();
  const [f, setF] = useState({ amount: '100', category: '', store: '', tier: '' });
  const run = useMutation({
    mutationFn: () =>
      api<{ points: number; tier: string | null; steps: { step: string; rule: string; fired: boolean; reason: string; points: number }[] }>(
        'POST',
        '/v1/loyalty/rules/dry-run',
        {
          tier: f.tier || null,
          purchase: {
            amount: num(f.amount),
            ...(f.store ? { store_id: f.store } : {}),
            ...(f.category ? { items: [{ category: f.category, price: num(f.amount), quantity: 1 }] } : {}),
          },
        },
      ),
  });
  return (
    <Card title={t('loyalty.dryRun')}>
      <p className="muted">{t('loyalty.dryRunExplain')}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <TextField type="number" step="any" min={0} label={t('loyalty.amount')} value={f.amount} onChange={(e) => setF({ ...f, amount: e.target.value })} />
        <TextField label={t('loyalty.category')} value={f.category} onChange={(e) => setF({ ...f, category: e.target.value })} />
        <TextField label={t('loyalty.store')} value={f.store} onChange={(e) => setF({ ...f, store: e.target.value })} />
        <SelectField
          label={t('loyalty.tier')}
          value={f.tier}
          onChange={(e) => setF({ ...f, tier: e.target.value })}
          options={[{ value: '', label: '—' }, ...tiers.map((x) => ({ value: x.id, label: x.name }))]}
        />
        <div className="field">
          <Button type="submit" variant="primary" busy={run.isPending}>
            {t('loyalty.run')}
          </Button>
        </div>
      </form>
      <ErrorNote error={run.error} />
      {run.data && (
        <>
          <p className="stat-value" data-points={run.data.points} role="status">
            {t('loyalty.earns', { points: run.data.points })}
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('loyalty.step')}</th>
                  <th>{t('loyalty.rule')}</th>
                  <th>{t('loyalty.fired')}</th>
                  <th>{t('loyalty.reason')}</th>
                  <th>{t('loyalty.points')}</th>
                </tr>
              </thead>
              <tbody>
                {run.data.steps.map((s, i) => (
                  <tr key={i}>
                    <td>{s.step}</td>
                    <td className="mono">{s.rule}</td>
                    <td>{s.fired ? '✓' : '—'}</td>
                    <td>{s.reason}</td>
                    <td>{s.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

interface Reward {
  id: string;
  name: string;
  description: string | null;
  cost_points: number;
  stock: number | null;
  tiers: string[];
  is_active: boolean;
}

function Rewards({ tiers }: { tiers: Tier[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rewards = useQuery({ queryKey: ['rewards'], queryFn: () => get<{ data: Reward[] }>('/v1/loyalty/rewards') });
  const [f, setF] = useState({ name: '', cost: '', stock: '', description: '' });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['rewards'] });
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/v1/loyalty/rewards', {
        name: f.name,
        cost_points: num(f.cost),
        ...(f.stock ? { stock: num(f.stock) } : {}),
        ...(f.description ? { description: f.description } : {}),
      }),
    onSuccess: () => {
      setF({ name: '', cost: '', stock: '', description: '' });
      refresh();
    },
  });
  const toggle = useMutation({ mutationFn: (r: Reward) => api('PATCH', `/v1/loyalty/rewards/${r.id}`, { is_active: !r.is_active }), onSuccess: refresh });
  const err = add.error instanceof ApiError ? add.error : undefined;
  const tierName = (id: string) => tiers.find((x) => x.id === id)?.name ?? id;
  return (
    <Card title={t('loyalty.rewards')}>
      {rewards.isPending ? (
        <Loading />
      ) : rewards.error ? (
        <ErrorNote error={rewards.error} />
      ) : rewards.data.data.length === 0 ? (
        <Empty>{t('loyalty.noRewards')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('loyalty.rewardName')}</th>
                <th>{t('loyalty.cost')}</th>
                <th>{t('loyalty.stock')}</th>
                <th>{t('loyalty.active')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rewards.data.data.map((r) => (
                <tr key={r.id} data-reward={r.name}>
                  <td>
                    {r.name}
                    {r.tiers.length > 0 && <div className="muted">{r.tiers.map(tierName).join(', ')}</div>}
                  </td>
                  <td>{r.cost_points}</td>
                  <td>{r.stock ?? t('loyalty.unlimited')}</td>
                  <td>
                    <Badge tone={r.is_active ? 'good' : 'neutral'}>{r.is_active ? t('common.yes') : t('common.no')}</Badge>
                  </td>
                  <td>
                    <Button variant="ghost" onClick={() => toggle.mutate(r)}>
                      {r.is_active ? t('loyalty.deactivate') : t('loyalty.activate')}
                    </Button>
                  </td>
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
          add.mutate();
        }}
      >
        <TextField label={t('loyalty.rewardName')} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} error={err?.fieldMessage('name')} />
        <TextField
          type="number"
          min={1}
          label={t('loyalty.cost')}
          value={f.cost}
          onChange={(e) => setF({ ...f, cost: e.target.value })}
          error={err?.fieldMessage('cost_points')}
        />
        <TextField
          type="number"
          min={0}
          label={t('loyalty.stock')}
          value={f.stock}
          placeholder={t('loyalty.unlimited')}
          onChange={(e) => setF({ ...f, stock: e.target.value })}
        />
        <div className="field">
          <Button type="submit" busy={add.isPending} disabled={!f.name.trim() || !f.cost}>
            {t('loyalty.addReward')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

interface LiabilityReport {
  value_per_point: number;
  expected_redemption_rate: number;
  points_outstanding: number;
  outstanding_liability: number;
  breakage_recognised: number;
  members: number;
  cost_per_member: number;
  cohorts: { cohort: string; issued: number; redeemed: number; expired: number; outstanding: number; liability: number }[];
  tiers: { tier: string | null; members: number; points_issued: number; points_redeemed: number; cost: number; cost_per_member: number }[];
}

function Liability() {
  const { t, i18n } = useTranslation();
  const r = useQuery({ queryKey: ['liability'], queryFn: () => get<LiabilityReport>('/v1/loyalty/liability') });
  const money = (n: number) => formatMoney(n, 'CNY', i18n.language);
  return (
    <Card title={t('loyalty.liability')}>
      {r.isPending ? (
        <Loading />
      ) : r.error ? (
        <ErrorNote error={r.error} />
      ) : (
        <>
          <div className="stat-row">
            <div className="stat">
              <div className="stat-label">{t('loyalty.outstanding')}</div>
              <div className="stat-value" data-outstanding={r.data.points_outstanding}>
                {formatNumber(r.data.points_outstanding, i18n.language)}
              </div>
            </div>
            <div className="stat">
              <div className="stat-label">{t('loyalty.liabilityValue')}</div>
              <div className="stat-value">{money(r.data.outstanding_liability)}</div>
            </div>
            <div className="stat">
              <div className="stat-label">{t('loyalty.breakage')}</div>
              <div className="stat-value">{money(r.data.breakage_recognised)}</div>
            </div>
            <div className="stat">
              <div className="stat-label">{t('loyalty.members')}</div>
              <div className="stat-value">{r.data.members}</div>
            </div>
            <div className="stat">
              <div className="stat-label">{t('loyalty.redemptionRate')}</div>
              <div className="stat-value">{formatNumber(r.data.expected_redemption_rate, i18n.language, { style: 'percent' })}</div>
            </div>
          </div>
          {r.data.cohorts.length > 0 && (
            <>
              <h3>{t('loyalty.cohorts')}</h3>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('loyalty.cohort')}</th>
                      <th>{t('loyalty.issued')}</th>
                      <th>{t('loyalty.redeemed')}</th>
                      <th>{t('loyalty.expired')}</th>
                      <th>{t('loyalty.outstanding')}</th>
                      <th>{t('loyalty.liabilityValue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.data.cohorts.map((c) => (
                      <tr key={c.cohort}>
                        <td>{c.cohort}</td>
                        <td>{c.issued}</td>
                        <td>{c.redeemed}</td>
                        <td>{c.expired}</td>
                        <td>{c.outstanding}</td>
                        <td>{money(c.liability)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {r.data.tiers.length > 0 && (
            <>
              <h3>{t('loyalty.tierCosts')}</h3>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('loyalty.tier')}</th>
                      <th>{t('loyalty.members')}</th>
                      <th>{t('loyalty.issued')}</th>
                      <th>{t('loyalty.redeemed')}</th>
                      <th>{t('loyalty.costPerMember')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.data.tiers.map((x) => (
                      <tr key={x.tier ?? ''}>
                        <td>{x.tier ?? '—'}</td>
                        <td>{x.members}</td>
                        <td>{x.points_issued}</td>
                        <td>{x.points_redeemed}</td>
                        <td>{money(x.cost_per_member)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </Card>
  );
}
