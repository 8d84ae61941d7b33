// What a purchase would earn, explained rule by rule, without recording anything.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNote, SelectField, TextField, formatNumber } from '../../../shared/ui.js';
import { useWord } from '../../../shared/words.js';
import { dryRunPurchase, type Tier } from '../../api/loyalty.js';
import { num } from './loyalty-model.js';

/** The rules Rapport applies itself, named in words; a tenant's own rates and campaigns keep their ids. */
const BUILT_IN_RULES = new Set(['base_rate', 'currency', 'none', 'floor', 'per_purchase', 'per_customer_per_day']);

export function DryRun({ tiers }: { tiers: Tier[] }) {
  const { t, i18n } = useTranslation();
  const word = useWord();
  const tierName = (id: string) => tiers.find((x) => x.id === id)?.name ?? id;
  const [f, setF] = useState({ amount: '100', category: '', store: '', tier: '' });
  const run = useMutation({
    mutationFn: () =>
      dryRunPurchase({
        tier: f.tier || null,
        purchase: {
          amount: num(f.amount),
          ...(f.store ? { store_id: f.store } : {}),
          ...(f.category ? { items: [{ category: f.category, price: num(f.amount), quantity: 1 }] } : {}),
        },
      }),
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
            {t('loyalty.earns', { points: formatNumber(run.data.points, i18n.language) })}
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
                    <td data-step={s.step}>{word('loyalty.stepName', s.step, true)}</td>
                    {BUILT_IN_RULES.has(s.rule) ? (
                      <td>{t(`loyalty.ruleName.${s.rule}`)}</td>
                    ) : s.step === 'tier' ? (
                      <td>{tierName(s.rule)}</td>
                    ) : (
                      <td className="mono">{s.rule}</td>
                    )}
                    <td>{s.fired ? '✓' : '—'}</td>
                    <td>{s.reason}</td>
                    <td>{formatNumber(s.points, i18n.language)}</td>
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
