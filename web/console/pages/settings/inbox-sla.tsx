// The inbox's SLA policies: first-response, next-response and resolution targets by team and priority.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.js';
import { Button, Card, Problems, QueryState, SelectField, Table, TextField } from '../../../shared/ui.js';
import { PRIORITIES, type Team, useList, type SlaPolicy } from './inbox-settings-data.js';

export function SlaSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const policies = useList<SlaPolicy>('sla-policies', '/v1/inbox/sla-policies');
  const teams = useList<Team>('inbox-teams', '/v1/inbox/teams');
  const blank = { name: '', team_id: '', priority: '', first: '', next: '', resolution: '', warning: '80' };
  const [f, setF] = useState(blank);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['sla-policies'] });
  const mins = (v: string) => (v.trim() ? Number(v) : undefined);
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/v1/inbox/sla-policies', {
        name: f.name,
        ...(f.team_id ? { team_id: f.team_id } : {}),
        ...(f.priority ? { priority: f.priority } : {}),
        first_response_minutes: mins(f.first),
        next_response_minutes: mins(f.next),
        resolution_minutes: mins(f.resolution),
        warning_percent: Number(f.warning) || 80,
      }),
    onSuccess: () => {
      setF(blank);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/v1/inbox/sla-policies/${id}`), onSuccess: refresh });
  const teamName = (id: string | null) => (id ? (teams.data?.data.find((x) => x.id === id)?.name ?? id) : t('inboxSettings.anyTeam'));
  return (
    <Card title={t('inboxSettings.sla')}>
      <QueryState query={policies} isEmpty={(d) => d.data.length === 0} empty={t('inboxSettings.noSla')}>
        {(d) => (
          <Table
            head={[
              t('inboxSettings.name'),
              t('inboxSettings.team'),
              t('inboxSettings.priority'),
              t('inboxSettings.firstResponse'),
              t('inboxSettings.nextResponse'),
              t('inboxSettings.resolution'),
              '',
            ]}
          >
            {d.data.map((p) => (
              <tr key={p.id} data-sla={p.name}>
                <td>{p.name}</td>
                <td>{teamName(p.team_id)}</td>
                <td>{p.priority ? t(`inbox.priority.${p.priority}`) : t('inboxSettings.anyPriority')}</td>
                <td>{p.first_response_minutes ?? '—'}</td>
                <td>{p.next_response_minutes ?? '—'}</td>
                <td>{p.resolution_minutes ?? '—'}</td>
                <td>
                  <Button variant="ghost" onClick={() => remove.mutate(p.id)}>
                    {t('inboxSettings.remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
      <h3>{t('inboxSettings.addSla')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <div className="row">
          <TextField label={t('inboxSettings.name')} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
          <SelectField
            label={t('inboxSettings.team')}
            value={f.team_id}
            onChange={(e) => setF({ ...f, team_id: e.target.value })}
            options={[{ value: '', label: t('inboxSettings.anyTeam') }, ...(teams.data?.data ?? []).map((x) => ({ value: x.id, label: x.name }))]}
          />
          <SelectField
            label={t('inboxSettings.priority')}
            value={f.priority}
            onChange={(e) => setF({ ...f, priority: e.target.value })}
            options={[{ value: '', label: t('inboxSettings.anyPriority') }, ...PRIORITIES.map((p) => ({ value: p, label: t(`inbox.priority.${p}`) }))]}
          />
        </div>
        <div className="row">
          <TextField type="number" min={1} label={t('inboxSettings.firstResponse')} value={f.first} onChange={(e) => setF({ ...f, first: e.target.value })} />
          <TextField type="number" min={1} label={t('inboxSettings.nextResponse')} value={f.next} onChange={(e) => setF({ ...f, next: e.target.value })} />
          <TextField
            type="number"
            min={1}
            label={t('inboxSettings.resolution')}
            value={f.resolution}
            onChange={(e) => setF({ ...f, resolution: e.target.value })}
          />
          <TextField
            type="number"
            min={1}
            max={99}
            label={t('inboxSettings.warning')}
            value={f.warning}
            onChange={(e) => setF({ ...f, warning: e.target.value })}
          />
        </div>
        <Problems error={add.error ?? remove.error} />
        <Button type="submit" busy={add.isPending} disabled={!f.name.trim()}>
          {t('inboxSettings.addSla')}
        </Button>
      </form>
    </Card>
  );
}
