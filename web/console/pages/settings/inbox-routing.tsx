// The inbox's routing rules: conditions (keywords, channels, languages, core customers), in order, to a team and priority.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.js';
import { Button, Card, Checkbox, Problems, QueryState, SelectField, Table, TextField } from '../../../shared/ui.js';
import { KINDS, PRIORITIES, type Team, useList, type RoutingRule } from './inbox-settings-data.js';

export function RoutingSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useList<RoutingRule>('routing-rules', '/v1/inbox/routing-rules');
  const teams = useList<Team>('inbox-teams', '/v1/inbox/teams');
  const blank = { name: '', team_id: '', keywords: '', languages: '', channels: [] as string[], is_core: false, priority: '' };
  const [f, setF] = useState(blank);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['routing-rules'] });
  const list = (s: string) =>
    s
      .split(/[,，]/)
      .map((x) => x.trim())
      .filter(Boolean);
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/v1/inbox/routing-rules', {
        name: f.name,
        team_id: f.team_id,
        ...(f.priority ? { priority: f.priority } : {}),
        conditions: {
          ...(list(f.keywords).length ? { keywords: list(f.keywords) } : {}),
          ...(list(f.languages).length ? { languages: list(f.languages) } : {}),
          ...(f.channels.length ? { channels: f.channels } : {}),
          ...(f.is_core ? { is_core: true } : {}),
        },
      }),
    onSuccess: () => {
      setF(blank);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/v1/inbox/routing-rules/${id}`), onSuccess: refresh });
  const teamName = (id: string | null) => teams.data?.data.find((x) => x.id === id)?.name ?? id;
  const describe = (c: { keywords?: string[]; channels?: string[]; languages?: string[]; is_core?: boolean }) =>
    [
      c.keywords?.length && `${t('inboxSettings.keywords')}: ${c.keywords.join(', ')}`,
      c.channels?.length && `${t('inboxSettings.ruleChannels')}: ${c.channels.join(', ')}`,
      c.languages?.length && `${t('inboxSettings.languages')}: ${c.languages.join(', ')}`,
      c.is_core && t('inboxSettings.coreOnly'),
    ]
      .filter(Boolean)
      .join(' · ') || '—';
  return (
    <Card title={t('inboxSettings.routing')}>
      <p className="muted">{t('inboxSettings.routingExplain')}</p>
      <QueryState query={rules} isEmpty={(d) => d.data.length === 0} empty={t('inboxSettings.noRules')}>
        {(d) => (
          <Table
            head={[
              t('inboxSettings.position'),
              t('inboxSettings.name'),
              t('inboxSettings.conditions'),
              t('inboxSettings.team'),
              t('inboxSettings.priority'),
              '',
            ]}
          >
            {d.data.map((r) => (
              <tr key={r.id} data-rule={r.name}>
                <td>{r.position}</td>
                <td>{r.name}</td>
                <td>{describe(r.conditions)}</td>
                <td>{teamName(r.team_id)}</td>
                <td>{r.priority ? t(`inbox.priority.${r.priority}`) : '—'}</td>
                <td>
                  <Button variant="ghost" onClick={() => remove.mutate(r.id)}>
                    {t('inboxSettings.remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
      <h3>{t('inboxSettings.addRule')}</h3>
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
            options={[{ value: '', label: '—' }, ...(teams.data?.data ?? []).map((x) => ({ value: x.id, label: x.name }))]}
          />
          <SelectField
            label={t('inboxSettings.setPriority')}
            value={f.priority}
            onChange={(e) => setF({ ...f, priority: e.target.value })}
            options={[{ value: '', label: '—' }, ...PRIORITIES.map((p) => ({ value: p, label: t(`inbox.priority.${p}`) }))]}
          />
        </div>
        <div className="row">
          <TextField label={t('inboxSettings.keywords')} value={f.keywords} onChange={(e) => setF({ ...f, keywords: e.target.value })} />
          <TextField
            label={t('inboxSettings.languages')}
            value={f.languages}
            onChange={(e) => setF({ ...f, languages: e.target.value })}
            placeholder="zh, en"
          />
        </div>
        <fieldset className="question">
          <legend>{t('inboxSettings.ruleChannels')}</legend>
          <div className="row">
            {KINDS.map((k) => (
              <Checkbox
                key={k}
                label={t(`inboxSettings.kinds.${k}`)}
                checked={f.channels.includes(k)}
                onChange={(e) => setF({ ...f, channels: e.target.checked ? [...f.channels, k] : f.channels.filter((x) => x !== k) })}
              />
            ))}
          </div>
          <Checkbox label={t('inboxSettings.coreOnly')} checked={f.is_core} onChange={(e) => setF({ ...f, is_core: e.target.checked })} />
        </fieldset>
        <Problems error={add.error ?? remove.error} />
        <Button type="submit" busy={add.isPending} disabled={!f.name.trim() || !f.team_id}>
          {t('inboxSettings.addRule')}
        </Button>
      </form>
    </Card>
  );
}
