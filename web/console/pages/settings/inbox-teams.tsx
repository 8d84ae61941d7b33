// The inbox's teams and their agents.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.js';
import { Badge, Button, Card, Checkbox, Problems, QueryState, SelectField, Table, TextField } from '../../../shared/ui.js';
import { type Agent, type Team, useList } from './inbox-settings-data.js';

export function TeamsSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useList<Team>('inbox-teams', '/v1/inbox/teams');
  const agents = useList<Agent>('inbox-agents', '/v1/inbox/agents');
  const users = useList<{ id: string; name: string; email: string }>('users', '/v1/users');
  const [team, setTeam] = useState({ name: '', assignment: 'round_robin' });
  const [agent, setAgent] = useState({ name: '', user_id: '', capacity: '5', team_ids: [] as string[], is_senior: false });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['inbox-teams'] });
    void qc.invalidateQueries({ queryKey: ['inbox-agents'] });
  };
  const addTeam = useMutation({
    mutationFn: () => api('POST', '/v1/inbox/teams', team),
    onSuccess: () => {
      setTeam({ name: '', assignment: 'round_robin' });
      refresh();
    },
  });
  const addAgent = useMutation({
    mutationFn: () =>
      api('POST', '/v1/inbox/agents', {
        name: agent.name,
        capacity: Number(agent.capacity) || 0,
        team_ids: agent.team_ids,
        is_senior: agent.is_senior,
        ...(agent.user_id ? { user_id: agent.user_id } : {}),
      }),
    onSuccess: () => {
      setAgent({ name: '', user_id: '', capacity: '5', team_ids: [], is_senior: false });
      refresh();
    },
  });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: string }) => api('PATCH', `/v1/inbox/agents/${id}`, { status }),
    onSuccess: refresh,
  });
  const teamName = (id: string) => teams.data?.data.find((x) => x.id === id)?.name ?? id;
  const agentName = (id: string | null) => agents.data?.data.find((x) => x.id === id)?.name ?? '—';
  return (
    <>
      <Card title={t('inboxSettings.teams')}>
        <QueryState query={teams} isEmpty={(d) => d.data.length === 0} empty={t('inboxSettings.noTeams')}>
          {(d) => (
            <Table
              head={[t('inboxSettings.name'), t('inboxSettings.assignment'), t('inboxSettings.members'), t('inboxSettings.manager'), t('inboxSettings.queued')]}
            >
              {d.data.map((x) => (
                <tr key={x.id} data-team={x.name}>
                  <td>{x.name}</td>
                  <td>{t(`inboxSettings.assign.${x.assignment}`, { defaultValue: x.assignment })}</td>
                  <td>{x.agent_ids.map(agentName).join(', ') || '—'}</td>
                  <td>{agentName(x.manager_agent_id)}</td>
                  <td>{x.queued}</td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            addTeam.mutate();
          }}
        >
          <TextField label={t('inboxSettings.name')} value={team.name} onChange={(e) => setTeam({ ...team, name: e.target.value })} />
          <SelectField
            label={t('inboxSettings.assignment')}
            value={team.assignment}
            onChange={(e) => setTeam({ ...team, assignment: e.target.value })}
            options={['round_robin', 'least_loaded'].map((x) => ({ value: x, label: t(`inboxSettings.assign.${x}`) }))}
          />
          <div className="field">
            <Button type="submit" busy={addTeam.isPending} disabled={!team.name.trim()}>
              {t('inboxSettings.addTeam')}
            </Button>
          </div>
        </form>
        <Problems error={addTeam.error} />
      </Card>
      <Card title={t('inboxSettings.agents')}>
        <QueryState query={agents} isEmpty={(d) => d.data.length === 0} empty={t('inboxSettings.noAgents')}>
          {(d) => (
            <Table
              head={[t('inboxSettings.name'), t('inboxSettings.status'), t('inboxSettings.capacity'), t('inboxSettings.agentTeams'), t('inboxSettings.open')]}
            >
              {d.data.map((a) => (
                <tr key={a.id} data-agent={a.name}>
                  <td>
                    {a.name} {a.is_senior && <Badge>{t('inboxSettings.senior')}</Badge>}
                  </td>
                  <td>
                    <select
                      aria-label={`${t('inboxSettings.status')}: ${a.name}`}
                      value={a.status}
                      onChange={(e) => setStatus.mutate({ id: a.id, status: e.target.value })}
                    >
                      {['online', 'away', 'offline'].map((s) => (
                        <option key={s} value={s}>
                          {t(`inboxSettings.agentStatus.${s}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{a.capacity}</td>
                  <td>{a.team_ids.map(teamName).join(', ') || '—'}</td>
                  <td>{a.open_conversations}</td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            addAgent.mutate();
          }}
        >
          <div className="row">
            <TextField label={t('inboxSettings.name')} value={agent.name} onChange={(e) => setAgent({ ...agent, name: e.target.value })} />
            <SelectField
              label={t('inboxSettings.user')}
              value={agent.user_id}
              onChange={(e) => setAgent({ ...agent, user_id: e.target.value })}
              options={[
                { value: '', label: t('inboxSettings.none') },
                ...(users.data?.data ?? []).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })),
              ]}
            />
            <TextField
              type="number"
              min={0}
              label={t('inboxSettings.capacity')}
              value={agent.capacity}
              onChange={(e) => setAgent({ ...agent, capacity: e.target.value })}
            />
          </div>
          <fieldset className="question">
            <legend>{t('inboxSettings.agentTeams')}</legend>
            {(teams.data?.data ?? []).map((x) => (
              <Checkbox
                key={x.id}
                label={x.name}
                checked={agent.team_ids.includes(x.id)}
                onChange={(e) => setAgent({ ...agent, team_ids: e.target.checked ? [...agent.team_ids, x.id] : agent.team_ids.filter((y) => y !== x.id) })}
              />
            ))}
            <Checkbox label={t('inboxSettings.senior')} checked={agent.is_senior} onChange={(e) => setAgent({ ...agent, is_senior: e.target.checked })} />
          </fieldset>
          <Problems error={addAgent.error ?? setStatus.error} />
          <Button type="submit" busy={addAgent.isPending} disabled={!agent.name.trim()}>
            {t('inboxSettings.addAgent')}
          </Button>
        </form>
      </Card>
    </>
  );
}
