// The inbox's settings: channels (with the URLs and secrets to paste into each provider), teams and
// agents, SLA policies and routing rules.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../shared/api.js';
import { Badge, Button, Card, Checkbox, Empty, ErrorNote, Loading, Problems, SelectField, Table, TextField } from '../../shared/ui.js';

type Kind = 'webchat' | 'email' | 'sms' | 'whatsapp' | 'wechat' | 'api';
const KINDS: Kind[] = ['webchat', 'email', 'sms', 'whatsapp', 'wechat', 'api'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
// What an admin types for each kind: public settings, then the provider's secrets.
const FIELDS: Record<Kind, { settings: string[]; secrets: string[] }> = {
  webchat: { settings: ['allowed_origins', 'welcome'], secrets: [] },
  email: { settings: ['address', 'from_name', 'sendgrid_user'], secrets: ['mailgun_signing_key', 'sendgrid_password', 'smtp_password'] },
  sms: { settings: ['account_sid', 'from'], secrets: ['auth_token'] },
  whatsapp: { settings: ['account_sid', 'from'], secrets: ['auth_token'] },
  wechat: { settings: ['app_id', 'original_id'], secrets: ['token', 'encoding_aes_key', 'app_secret'] },
  api: { settings: ['source', 'outbound_url'], secrets: [] },
};

export interface Channel {
  id: string;
  kind: Kind;
  name: string;
  is_enabled: boolean;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  webhook_urls?: Record<string, string>;
}
interface Team {
  id: string;
  name: string;
  assignment: string;
  queued: number;
  agent_ids: string[];
  manager_agent_id: string | null;
}
interface Agent {
  id: string;
  name: string;
  user_id: string | null;
  status: string;
  capacity: number;
  is_senior: boolean;
  team_ids: string[];
  open_conversations: number;
}

const useList = <T,>(key: string, url: string) => useQuery({ queryKey: [key], queryFn: () => get<{ data: T[] }>(url) });

export function ChannelsSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const channels = useList<Channel>('inbox-channels', '/v1/inbox/channels');
  const [kind, setKind] = useState<Kind>('webchat');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Channel | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['inbox-channels'] });
  const create = useMutation({
    mutationFn: () => {
      const settings: Record<string, unknown> = {};
      const secrets: Record<string, string> = {};
      for (const f of FIELDS[kind].settings)
        if (values[f]?.trim()) settings[f] = f === 'allowed_origins' ? values[f].split(/\s+/).filter(Boolean) : values[f].trim();
      for (const f of FIELDS[kind].secrets) if (values[f]?.trim()) secrets[f] = values[f].trim();
      return api<Channel>('POST', '/v1/inbox/channels', { kind, name, settings, secrets });
    },
    onSuccess: (c) => {
      setCreated(c);
      setName('');
      setValues({});
      refresh();
    },
  });
  const toggle = useMutation({ mutationFn: (c: Channel) => api('PATCH', `/v1/inbox/channels/${c.id}`, { is_enabled: !c.is_enabled }), onSuccess: refresh });
  // A secret Rapport generated comes back in full exactly once, in the answer that created the channel.
  const shownOnce = created ? Object.entries(created.secrets).filter(([, v]) => !v.startsWith('••')) : [];
  return (
    <>
      <Card title={t('inboxSettings.channels')}>
        {channels.isPending ? (
          <Loading />
        ) : channels.error ? (
          <ErrorNote error={channels.error} />
        ) : channels.data.data.length === 0 ? (
          <Empty>{t('inboxSettings.noChannels')}</Empty>
        ) : (
          <ul className="plain channel-list">
            {channels.data.data.map((c) => (
              <li key={c.id} className="channel" data-channel={c.name}>
                <div className="conv-top">
                  <strong>{c.name}</strong>
                  <span>
                    <Badge>{t(`inboxSettings.kinds.${c.kind}`)}</Badge>{' '}
                    <Badge tone={c.is_enabled ? 'good' : 'neutral'}>{c.is_enabled ? t('inboxSettings.enabled') : t('inboxSettings.disabled')}</Badge>
                  </span>
                </div>
                <dl className="kv">
                  {Object.entries(c.webhook_urls ?? {}).map(([k, v]) => (
                    <UrlRow key={k} label={t(`inboxSettings.url.${k}`, { defaultValue: k })} value={v} />
                  ))}
                  {Object.entries(c.secrets).map(([k, v]) => (
                    <UrlRow key={k} label={t(`inboxSettings.field.${k}`, { defaultValue: k })} value={v} />
                  ))}
                </dl>
                <Button variant="ghost" onClick={() => toggle.mutate(c)}>
                  {c.is_enabled ? t('inboxSettings.disable') : t('inboxSettings.enable')}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('inboxSettings.addChannel')}>
        {shownOnce.length > 0 && (
          <div className="notice" role="status">
            {t('inboxSettings.secretOnce')}
            {shownOnce.map(([k, v]) => (
              <div key={k}>
                {t(`inboxSettings.field.${k}`, { defaultValue: k })}: <code data-secret={k}>{v}</code>
              </div>
            ))}
          </div>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <div className="row">
            <SelectField
              label={t('inboxSettings.kind')}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Kind);
                setValues({});
              }}
              options={KINDS.map((k) => ({ value: k, label: t(`inboxSettings.kinds.${k}`) }))}
            />
            <TextField label={t('inboxSettings.name')} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="row">
            {[...FIELDS[kind].settings, ...FIELDS[kind].secrets].map((f) =>
              f === 'allowed_origins' ? (
                <div className="field" key={f}>
                  <label htmlFor="ch-origins">{t('inboxSettings.field.allowed_origins')}</label>
                  <textarea
                    id="ch-origins"
                    rows={2}
                    value={values[f] ?? ''}
                    onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                    placeholder="https://www.example.com"
                  />
                </div>
              ) : (
                <TextField
                  key={f}
                  label={t(`inboxSettings.field.${f}`)}
                  type={FIELDS[kind].secrets.includes(f) ? 'password' : 'text'}
                  autoComplete="off"
                  value={values[f] ?? ''}
                  onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                />
              ),
            )}
          </div>
          <Problems error={create.error} />
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
            {t('inboxSettings.addChannel')}
          </Button>
        </form>
      </Card>
    </>
  );
}

function UrlRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code>{value}</code>
      </dd>
    </>
  );
}

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
        {teams.isPending ? (
          <Loading />
        ) : teams.error ? (
          <ErrorNote error={teams.error} />
        ) : teams.data.data.length === 0 ? (
          <Empty>{t('inboxSettings.noTeams')}</Empty>
        ) : (
          <Table
            head={[t('inboxSettings.name'), t('inboxSettings.assignment'), t('inboxSettings.members'), t('inboxSettings.manager'), t('inboxSettings.queued')]}
          >
            {teams.data.data.map((x) => (
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
        {agents.isPending ? (
          <Loading />
        ) : agents.error ? (
          <ErrorNote error={agents.error} />
        ) : agents.data.data.length === 0 ? (
          <Empty>{t('inboxSettings.noAgents')}</Empty>
        ) : (
          <Table
            head={[t('inboxSettings.name'), t('inboxSettings.status'), t('inboxSettings.capacity'), t('inboxSettings.agentTeams'), t('inboxSettings.open')]}
          >
            {agents.data.data.map((a) => (
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

export function SlaSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const policies = useList<{
    id: string;
    name: string;
    team_id: string | null;
    priority: string | null;
    first_response_minutes: number | null;
    next_response_minutes: number | null;
    resolution_minutes: number | null;
    warning_percent: number;
  }>('sla-policies', '/v1/inbox/sla-policies');
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
      {policies.isPending ? (
        <Loading />
      ) : policies.error ? (
        <ErrorNote error={policies.error} />
      ) : policies.data.data.length === 0 ? (
        <Empty>{t('inboxSettings.noSla')}</Empty>
      ) : (
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
          {policies.data.data.map((p) => (
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

export function RoutingSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useList<{
    id: string;
    name: string;
    position: number;
    conditions: { keywords?: string[]; channels?: string[]; languages?: string[]; is_core?: boolean };
    team_id: string;
    priority: string | null;
  }>('routing-rules', '/v1/inbox/routing-rules');
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
  const teamName = (id: string) => teams.data?.data.find((x) => x.id === id)?.name ?? id;
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
      {rules.isPending ? (
        <Loading />
      ) : rules.error ? (
        <ErrorNote error={rules.error} />
      ) : rules.data.data.length === 0 ? (
        <Empty>{t('inboxSettings.noRules')}</Empty>
      ) : (
        <Table
          head={[t('inboxSettings.position'), t('inboxSettings.name'), t('inboxSettings.conditions'), t('inboxSettings.team'), t('inboxSettings.priority'), '']}
        >
          {rules.data.data.map((r) => (
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
