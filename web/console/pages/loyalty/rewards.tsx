// The rewards catalogue: what customers can redeem points for (cost, stock, the tiers it is for), switched on and off.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Badge, Button, Card, QueryState, TextField } from '../../../shared/ui.js';
import { createReward, listRewards, setRewardActive, type Reward, type Tier } from '../../api/loyalty.js';
import { num } from './loyalty-model.js';

export function Rewards({ tiers }: { tiers: Tier[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rewards = useQuery({ queryKey: ['rewards'], queryFn: () => listRewards() });
  const [f, setF] = useState({ name: '', cost: '', stock: '', description: '' });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['rewards'] });
  const add = useMutation({
    mutationFn: () =>
      createReward({
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
  const toggle = useMutation({ mutationFn: (r: Reward) => setRewardActive(r.id, !r.is_active), onSuccess: refresh });
  const err = add.error instanceof ApiError ? add.error : undefined;
  const tierName = (id: string) => tiers.find((x) => x.id === id)?.name ?? id;
  return (
    <Card title={t('loyalty.rewards')}>
      <QueryState query={rewards} isEmpty={(d) => d.data.length === 0} empty={t('loyalty.noRewards')}>
        {(d) => (
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
                {d.data.map((r) => (
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
      </QueryState>
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
