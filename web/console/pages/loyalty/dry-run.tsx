// What a purchase would earn, explained rule by rule, without recording anything.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNote, SelectField, TextField } from '../../../shared/ui.js';
import { dryRunPurchase, type Tier } from '../../api/loyalty.js';
import { num } from './loyalty-model.js';

export function DryRun({ tiers }: { tiers: Tier[] }) {
  const { t } = useTranslation();
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
