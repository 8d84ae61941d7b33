// The loop's cases board: columns by status, filtered by team, each card with its SLA state; a case's
// workflow (contact, resolve and tell, won't fix, move); improvement actions that group cases and,
// once fixed, tell every affected customer; loop closure by team.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.js';
import { Badge, Button, Card, Checkbox, Empty, ErrorNote, Loading, PageHeader, SelectField, TextField, formatDateTime } from '../../shared/ui.js';
import { useNow } from '../../shared/use-now.js';
import { formatSpan } from '../../shared/format-span.js';
import { TopicEditor } from '../topic-editor.js';
import { everyOf } from '../../shared/contract.js';
import { caseMetrics, createIssue, fixIssue, getCase, listCases, listIssues, openCase, type Case, type CaseStatus } from '../api/cases.js';

const STATUSES = everyOf<CaseStatus>()(['new', 'contacted', 'resolved', 'wont_fix']);

export default function CasesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const team = params.get('team') ?? '';
  const openId = params.get('case');
  const set = (k: string, v: string | null) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  const all = useQuery({ queryKey: ['cases'], queryFn: () => listCases() });
  const teams = [...new Set((all.data?.data ?? []).map((c) => c.team_id).filter((x): x is string => !!x))].sort();
  const cases = (all.data?.data ?? []).filter((c) => !team || c.team_id === team);
  return (
    <>
      <PageHeader title={t('cases.title')} subtitle={t('cases.subtitle')} />
      <div className="row">
        <SelectField
          label={t('cases.team')}
          value={team}
          onChange={(e) => set('team', e.target.value)}
          options={[{ value: '', label: t('cases.allTeams') }, ...teams.map((x) => ({ value: x, label: x }))]}
        />
      </div>
      {all.isPending ? (
        <Loading />
      ) : all.error ? (
        <ErrorNote error={all.error} />
      ) : (
        <div className="board" role="region" aria-label={t('cases.board')}>
          {STATUSES.map((s) => {
            const col = cases.filter((c) => c.status === s);
            return (
              <section key={s} className="board-col" aria-labelledby={`col-${s}`} data-status={s}>
                <h2 id={`col-${s}`}>
                  {t(`cases.status.${s}`)} <Badge>{col.length}</Badge>
                </h2>
                {col.length === 0 ? (
                  <p className="muted">{t('cases.empty')}</p>
                ) : (
                  <ul className="plain board-cards">
                    {col.map((c) => (
                      <li key={c.id}>
                        <button type="button" className="case-card" aria-current={c.id === openId || undefined} onClick={() => set('case', c.id)}>
                          <strong>{c.summary ?? c.type}</strong>
                          <span className="conv-meta">
                            <Badge>{c.type}</Badge>
                            {c.team_id && <span className="muted">{c.team_id}</span>}
                            <CaseSla c={c} />
                          </span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      )}
      {openId && <CaseDrawer key={openId} id={openId} onClose={() => set('case', null)} />}
      <div className="grid">
        <Issues />
        <NewCase />
      </div>
      <Metrics />
    </>
  );
}

function CaseSla({ c }: { c: Case }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  if (c.status === 'resolved' || c.status === 'wont_fix') {
    const late = c.resolve_due_at && c.resolved_at && c.resolved_at > c.resolve_due_at;
    return <Badge tone={late ? 'warn' : 'good'}>{late ? t('cases.sla.late') : t('cases.sla.onTime')}</Badge>;
  }
  const [due, isContact] = !c.first_contact_at && c.first_contact_due_at ? [c.first_contact_due_at, true] : [c.resolve_due_at, false];
  return (
    <>
      {due &&
        (() => {
          const left = new Date(due).getTime() - now;
          const key = isContact ? (left < 0 ? 'contactLate' : 'contactDue') : left < 0 ? 'resolveLate' : 'resolveDue';
          return <Badge tone={left < 0 ? 'bad' : left < 3_600_000 ? 'warn' : 'info'}>{t(`cases.sla.${key}`, { time: formatSpan(left) })}</Badge>;
        })()}
      {c.escalation_level > 0 && <Badge tone="bad">{t('cases.sla.escalated', { level: c.escalation_level })}</Badge>}
    </>
  );
}

function useRefreshCases() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['cases'] });
    void qc.invalidateQueries({ queryKey: ['case'] });
    void qc.invalidateQueries({ queryKey: ['loop-issues'] });
  };
}

function CaseDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefreshCases();
  // The server words the case's activity in the console's language.
  const language = i18n.language.startsWith('zh') ? 'zh-CN' : 'en';
  const c = useQuery({ queryKey: ['case', id, language], queryFn: () => getCase(id, language) });
  const issues = useQuery({ queryKey: ['loop-issues'], queryFn: () => listIssues() });
  const [contact, setContact] = useState({ channel: 'phone', body: '' });
  const [resolution, setResolution] = useState('');
  const [notify, setNotify] = useState(true);
  const [reason, setReason] = useState('');
  const [team, setTeam] = useState('');
  const [issue, setIssue] = useState('');
  const act = useMutation({ mutationFn: ([method, url, body]: [string, string, unknown]) => api(method, url, body), onSuccess: refresh });
  const d = c.data;
  const isOpen = d && (d.status === 'new' || d.status === 'contacted');
  return (
    <Card
      title={t('cases.detail')}
      actions={
        <Button variant="ghost" onClick={onClose}>
          {t('cases.close')}
        </Button>
      }
      className="case-drawer"
    >
      {c.isPending ? (
        <Loading />
      ) : c.error ? (
        <ErrorNote error={c.error} />
      ) : (
        d && (
          <>
            <h3>{d.summary ?? d.type}</h3>
            <p>
              <Badge>{t(`cases.status.${d.status}`)}</Badge> <CaseSla c={d} />{' '}
              <Badge tone={d.customer_told_at ? 'good' : 'neutral'}>{d.customer_told_at ? t('cases.told') : t('cases.notTold')}</Badge>
            </p>
            <dl className="kv">
              <dt>{t('cases.type')}</dt>
              <dd>{d.type}</dd>
              <dt>{t('cases.priority')}</dt>
              <dd>{d.priority}</dd>
              <dt>{t('cases.team')}</dt>
              <dd>{d.team_id ?? t('cases.noTeam')}</dd>
              {d.customer_id && (
                <>
                  <dt>{t('cases.customer')}</dt>
                  <dd>
                    <Link to={`/customers/${d.customer_id}`}>{d.customer_id}</Link>
                  </dd>
                </>
              )}
              <dt>{t('cases.topics')}</dt>
              <dd>
                {d.topics.join(', ')} <TopicEditor key={d.topics.join()} topics={d.topics} url={`/v1/cases/${id}/topics`} onSaved={refresh} />
              </dd>
            </dl>
            <h3>{t('cases.activity')}</h3>
            <ol className="plain timeline">
              {d.activities.map((a) => (
                <li key={a.id}>
                  <strong>{a.kind}</strong>
                  {a.channel && ` · ${a.channel}`} {a.body && <div>{a.body}</div>}
                  <div className="when">
                    {formatDateTime(a.at, i18n.language)} · {a.actor}
                  </div>
                </li>
              ))}
            </ol>
            <ErrorNote error={act.error} />
            {isOpen && (
              <div className="grid">
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    act.mutate(['POST', `/v1/cases/${id}/contacts`, contact], { onSuccess: () => setContact({ ...contact, body: '' }) });
                  }}
                >
                  <h3>{t('cases.contact')}</h3>
                  <SelectField
                    label={t('cases.channel')}
                    value={contact.channel}
                    onChange={(e) => setContact({ ...contact, channel: e.target.value })}
                    options={['phone', 'email', 'sms', 'wechat', 'webchat', 'in_person', 'other'].map((x) => ({
                      value: x,
                      label: t(`channel.${x}`, { defaultValue: x }),
                    }))}
                  />
                  <TextField label={t('cases.whatSaid')} value={contact.body} onChange={(e) => setContact({ ...contact, body: e.target.value })} />
                  <Button type="submit" disabled={!contact.body.trim()} busy={act.isPending}>
                    {t('cases.record')}
                  </Button>
                </form>
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    act.mutate(['POST', `/v1/cases/${id}/resolve`, { resolution, notify_customer: notify }]);
                  }}
                >
                  <h3>{t('cases.resolve')}</h3>
                  <TextField label={t('cases.resolution')} value={resolution} onChange={(e) => setResolution(e.target.value)} />
                  <Checkbox label={t('cases.notify')} checked={notify} onChange={(e) => setNotify(e.target.checked)} />
                  <Button type="submit" variant="primary" disabled={!resolution.trim()} busy={act.isPending}>
                    {t('cases.doResolve')}
                  </Button>
                </form>
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    act.mutate(['POST', `/v1/cases/${id}/wont-fix`, { reason }]);
                  }}
                >
                  <h3>{t('cases.wontFix')}</h3>
                  <TextField label={t('cases.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
                  <Button type="submit" variant="danger" disabled={!reason.trim()} busy={act.isPending}>
                    {t('cases.doWontFix')}
                  </Button>
                </form>
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    act.mutate(['PATCH', `/v1/cases/${id}`, { team: team.trim() || null }]);
                  }}
                >
                  <h3>{t('cases.assign')}</h3>
                  <TextField label={t('cases.team')} value={team} onChange={(e) => setTeam(e.target.value)} placeholder={d.team_id ?? ''} />
                  <Button type="submit" busy={act.isPending}>
                    {t('cases.doAssign')}
                  </Button>
                  <SelectField
                    label={t('cases.addToIssue')}
                    value={issue}
                    onChange={(e) => setIssue(e.target.value)}
                    options={[
                      { value: '', label: '—' },
                      ...(issues.data?.data ?? []).filter((i) => i.status !== 'fixed').map((i) => ({ value: i.id, label: i.title })),
                    ]}
                  />
                  <Button disabled={!issue} onClick={() => act.mutate(['POST', `/v1/loop-issues/${issue}/cases`, { case_ids: [id] }])}>
                    {t('cases.doAdd')}
                  </Button>
                </form>
              </div>
            )}
          </>
        )
      )}
    </Card>
  );
}

function Issues() {
  const { t } = useTranslation();
  const refresh = useRefreshCases();
  const issues = useQuery({ queryKey: ['loop-issues'], queryFn: () => listIssues() });
  const [form, setForm] = useState({ title: '', root_cause: '', action: '' });
  const [fixText, setFixText] = useState<Record<string, string>>({});
  const [done, setDone] = useState<{ resolved_cases: number; customers: number } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      createIssue({ title: form.title, ...(form.root_cause ? { root_cause: form.root_cause } : {}), ...(form.action ? { action: form.action } : {}) }),
    onSuccess: () => {
      setForm({ title: '', root_cause: '', action: '' });
      refresh();
    },
  });
  const fix = useMutation({
    mutationFn: (id: string) => fixIssue(id, fixText[id]),
    onSuccess: (r) => {
      setDone(r);
      refresh();
    },
  });
  return (
    <Card title={t('cases.issues')}>
      <p className="muted">{t('cases.issuesExplain')}</p>
      {done && (
        <p className="notice" role="status">
          {t('cases.fixed', { cases: done.resolved_cases, customers: done.customers })}
        </p>
      )}
      <ErrorNote error={fix.error ?? issues.error} />
      {issues.data?.data.length === 0 ? (
        <Empty>{t('cases.noIssues')}</Empty>
      ) : (
        <ul className="plain">
          {(issues.data?.data ?? []).map((i) => (
            <li key={i.id} className="issue" data-issue={i.title}>
              <strong>{i.title}</strong>{' '}
              <Badge tone={i.status === 'fixed' ? 'good' : 'info'}>{t(`cases.issueStatus.${i.status}`, { defaultValue: i.status })}</Badge>{' '}
              <span className="muted">
                {t('cases.cases')}: {i.case_count}
              </span>
              {i.root_cause && (
                <div className="muted">
                  {t('cases.rootCause')}: {i.root_cause}
                </div>
              )}
              {i.status !== 'fixed' && (
                <form
                  className="row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    fix.mutate(i.id);
                  }}
                >
                  <TextField
                    label={t('cases.fixAction')}
                    value={fixText[i.id] ?? i.action ?? ''}
                    onChange={(e) => setFixText({ ...fixText, [i.id]: e.target.value })}
                  />
                  <div className="field">
                    <Button type="submit" variant="primary" disabled={!(fixText[i.id] ?? i.action ?? '').trim()} busy={fix.isPending}>
                      {t('cases.fix')}
                    </Button>
                  </div>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h3>{t('cases.newIssue')}</h3>
        <TextField label={t('cases.issueTitle')} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
        <TextField label={t('cases.rootCause')} value={form.root_cause} onChange={(e) => setForm({ ...form, root_cause: e.target.value })} />
        <ErrorNote error={create.error} />
        <Button type="submit" disabled={!form.title.trim()} busy={create.isPending}>
          {t('cases.createIssue')}
        </Button>
      </form>
    </Card>
  );
}

function NewCase() {
  const { t } = useTranslation();
  const refresh = useRefreshCases();
  const [form, setForm] = useState({ summary: '', team: '' });
  const create = useMutation({
    mutationFn: () => openCase({ summary: form.summary, ...(form.team.trim() ? { team: form.team.trim() } : {}) }),
    onSuccess: () => {
      setForm({ summary: '', team: '' });
      refresh();
    },
  });
  return (
    <Card title={t('cases.open')}>
      <p className="muted">{t('cases.openExplain')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextField label={t('cases.summary')} value={form.summary} onChange={(e) => setForm({ ...form, summary: e.target.value })} />
        <TextField label={t('cases.team')} value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} />
        <ErrorNote error={create.error} />
        <Button type="submit" variant="primary" disabled={!form.summary.trim()} busy={create.isPending}>
          {t('cases.create')}
        </Button>
      </form>
    </Card>
  );
}

function Metrics() {
  const { t } = useTranslation();
  const m = useQuery({ queryKey: ['case-metrics'], queryFn: () => caseMetrics() });
  if (!m.data?.data.length) return null;
  return (
    <Card title={t('cases.metrics')}>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('cases.team')}</th>
              <th>{t('cases.cases')}</th>
              <th>{t('cases.closureRate')}</th>
              <th>{t('cases.firstContact')}</th>
              <th>{t('cases.resolveHours')}</th>
              <th>{t('cases.escalatedCount')}</th>
            </tr>
          </thead>
          <tbody>
            {m.data.data.map((r) => (
              <tr key={r.team}>
                <td>{r.team || t('cases.noTeam')}</td>
                <td>{r.cases}</td>
                <td>{r.loop_closure_rate}%</td>
                <td>{r.median_first_contact_minutes ?? '—'}</td>
                <td>{r.median_resolve_hours ?? '—'}</td>
                <td>{r.escalated}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
