// One case opened beside the board: its activity and its workflow (contact, resolve and tell, won't fix, move).
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.js';
import { customerName } from '../../../shared/customer-name.js';
import { Badge, Button, Card, Checkbox, ErrorNote, QueryState, SelectField, TextField, formatDateTime } from '../../../shared/ui.js';
import { TopicEditor } from '../../topic-editor.js';
import { getCase, listIssues, type CaseDetail } from '../../api/cases.js';
import { getCustomer } from '../../api/customers.js';
import { CaseSla, useRefreshCases } from './cases-page.js';
import { useActorName, useCaseWords } from './case-words.js';

const CONTACT_CHANNELS = ['phone', 'email', 'sms', 'wechat', 'webchat', 'in_person', 'other'];

export function CaseDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefreshCases();
  // The server words the case's activity in the console's language.
  const language = i18n.language.startsWith('zh') ? 'zh-CN' : 'en';
  const c = useQuery({ queryKey: ['case', id, language], queryFn: () => getCase(id, language) });
  const issues = useQuery({ queryKey: ['loop-issues'], queryFn: () => listIssues() });
  const words = useCaseWords();
  const actorName = useActorName();
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
      <QueryState query={c}>
        {() =>
          d && (
            <>
              <h3>{d.summary ?? words.caseType(d.type)}</h3>
              <p>
                <Badge>{t(`cases.status.${d.status}`)}</Badge> <CaseSla c={d} />{' '}
                <Badge tone={d.customer_told_at ? 'good' : 'neutral'}>{d.customer_told_at ? t('cases.told') : t('cases.notTold')}</Badge>
              </p>
              <dl className="kv">
                <dt>{t('cases.type')}</dt>
                <dd>{words.caseType(d.type)}</dd>
                <dt>{t('cases.priority')}</dt>
                <dd>{words.priority(d.priority)}</dd>
                <dt>{t('cases.team')}</dt>
                <dd>{d.team_id ?? t('cases.noTeam')}</dd>
                {d.customer_id && (
                  <>
                    <dt>{t('cases.customer')}</dt>
                    <dd>
                      <CustomerLink id={d.customer_id} />
                    </dd>
                  </>
                )}
                <dt>{t('cases.topics')}</dt>
                <dd>
                  {words.list(d.topics.map(words.topic))}{' '}
                  <TopicEditor key={d.topics.join()} topics={d.topics} url={`/v1/cases/${id}/topics`} onSaved={refresh} />
                </dd>
              </dl>
              <h3>{t('cases.activity')}</h3>
              <ol className="plain timeline">
                {d.activities.map((a) => (
                  <li key={a.id}>
                    <strong>
                      {words.kind(a.kind)}
                      {a.channel && ` · ${words.channel(a.channel)}`}
                    </strong>{' '}
                    <ActivityBody a={a} />
                    <div className="when">
                      {formatDateTime(a.at, i18n.language)} · <span className="actor">{actorName(a.actor)}</span>
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
                      options={CONTACT_CHANNELS.map((x) => ({ value: x, label: words.channel(x) }))}
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
        }
      </QueryState>
    </Card>
  );
}

/** The customer by name, linking to their page; their id until (or unless) the profile can be read. */
function CustomerLink({ id }: { id: string }) {
  const { i18n } = useTranslation();
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => getCustomer(id), retry: false });
  return <Link to={`/customers/${id}`}>{customerName(customer.data, i18n.language) || id}</Link>;
}

type Activity = CaseDetail['activities'][number];

/**
 * What a step says. The server words its own steps in the reader's language; a notice and a topic
 * correction are worded here from their params (status and topic labels), and a delivery service's
 * error, which comes from that service as it wrote it, is labelled as such rather than translated.
 */
function ActivityBody({ a }: { a: Activity }) {
  const { t, i18n } = useTranslation();
  const words = useCaseWords();
  const p = a.params;
  const zh = i18n.language.startsWith('zh');
  if (p?.code === 'notice' && typeof p.status === 'string') {
    const status = /^\w+$/.test(p.status) ? t(`caseActivity.notice.${p.status}`, { defaultValue: p.status.replace(/_/g, ' ') }) : p.status;
    return (
      <div>
        {status}
        {typeof p.subject === 'string' && p.subject ? `${zh ? '：' : ': '}${p.subject}` : ''}
        {typeof p.error === 'string' && p.error && (
          <div className="muted">
            {t('caseActivity.serverError')} <span lang="en">{p.error}</span>
          </div>
        )}
      </div>
    );
  }
  if (a.kind === 'topics' && p && (Array.isArray(p.add) || Array.isArray(p.remove))) {
    const list = (v: unknown) => (Array.isArray(v) ? words.list(v.map((x) => words.topic(String(x)))) : '');
    return (
      <div>
        {[list(p.add) && t('caseActivity.topicsAdded', { list: list(p.add) }), list(p.remove) && t('caseActivity.topicsRemoved', { list: list(p.remove) })]
          .filter(Boolean)
          .join(zh ? '；' : '; ')}
      </div>
    );
  }
  return a.body ? <div>{a.body}</div> : null;
}
