// The programme's earning rules and tiers, one document saved whole.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, ErrorNote, Problems, SelectField, TextField } from '../../../shared/ui.js';
import { reviewTiers, saveProgram, type Program, type Rate, type Tier } from '../../api/loyalty.js';
import { ENGAGEMENTS, num, opt } from './loyalty-model.js';

export function ProgramEditor({ initial }: { initial: Program }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [p, setP] = useState<Program>(initial);
  const setPurchase = (x: Partial<Program['purchase']>) => setP({ ...p, purchase: { ...p.purchase, ...x } });
  const setRate = (i: number, r: Partial<Rate>) => setPurchase({ rates: p.purchase.rates.map((x, j) => (j === i ? { ...x, ...r } : x)) });
  const setTier = (i: number, x: Partial<Tier>) => setP({ ...p, tiers: p.tiers.map((y, j) => (j === i ? { ...y, ...x } : y)) });
  const save = useMutation({ mutationFn: () => saveProgram(p), onSuccess: (r) => qc.setQueryData(['loyalty-program'], r) });
  const review = useMutation({ mutationFn: () => reviewTiers() });
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
            {/* The review runs as a job: until it has run, its figures are null. */}
            {review.data.reviewed === null ? t('loyalty.reviewStarted') : t('loyalty.reviewed', review.data)}
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
