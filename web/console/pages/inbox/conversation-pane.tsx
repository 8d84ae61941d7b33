// The open conversation: its messages, status and priority, assignment, and the composer under it.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, ErrorNote, QueryState, SelectField, formatDateTime } from '../../../shared/ui.js';
import { Attachments, MergeInto, Triage } from './triage.js';
import {
  assignConversation,
  getConversation,
  listMessages,
  resendMessage,
  updateConversation,
  type AgentView as Agent,
  type Conversation,
  type TeamView as Team,
} from '../../api/inbox.js';
import type { ConversationPatch } from '../../../../src/modules/inbox/contract.js';
import { Composer } from './composer.js';
import { ContextPanel } from './context-panel.js';
import { SlaCountdown } from './conversation-row.js';

export function ConversationPane({ id, agentId, agents, teams }: { id: string; agentId?: string; agents: Agent[]; teams: Team[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const conv = useQuery({ queryKey: ['conversation', id], queryFn: () => getConversation(id) });
  const messages = useQuery({ queryKey: ['messages', id], queryFn: () => listMessages(id) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['conversation', id] });
    void qc.invalidateQueries({ queryKey: ['messages', id] });
    void qc.invalidateQueries({ queryKey: ['conversations'] });
  };
  const [askCsat, setAskCsat] = useState(true);
  const setStatus = useMutation({
    mutationFn: (status: string) =>
      updateConversation(id, { status: status as ConversationPatch['status'], ...(status === 'resolved' ? { request_csat: askCsat } : {}) }),
    onSuccess: refresh,
  });
  const resend = useMutation({ mutationFn: (messageId: string) => resendMessage(id, messageId), onSuccess: refresh });
  const agentName = (aid: string | null) => agents.find((a) => a.id === aid)?.name;
  const lastIn = [...(messages.data?.data ?? [])].reverse().find((m) => m.direction === 'in');
  const c = conv.data;
  return (
    <>
      <section className="inbox-conv card" aria-labelledby="conv-h">
        <QueryState query={conv}>
          {() =>
            c && (
              <>
                <header className="card-head">
                  <div>
                    <h2 id="conv-h">{c.subject || t('inbox.conversation')}</h2>
                    <div className="row-inline">
                      <Badge>{t(`inbox.st.${c.status}`)}</Badge> <SlaCountdown c={c} />{' '}
                      <span className="muted">
                        {c.assignee_id
                          ? t('inbox.assignedTo', { name: agentName(c.assignee_id) ?? c.assignee_id })
                          : c.team_id
                            ? t('inbox.queuedIn', { name: teams.find((x) => x.id === c.team_id)?.name ?? c.team_id })
                            : t('inbox.unassigned')}
                      </span>
                    </div>
                  </div>
                  <div className="card-actions">
                    {c.status === 'resolved' ? (
                      <Button onClick={() => setStatus.mutate('open')} busy={setStatus.isPending}>
                        {t('inbox.reopen')}
                      </Button>
                    ) : (
                      <>
                        <label className="check">
                          <input type="checkbox" checked={askCsat} onChange={(e) => setAskCsat(e.target.checked)} /> {t('inbox.requestCsat')}
                        </label>
                        <Button variant="primary" onClick={() => setStatus.mutate('resolved')} busy={setStatus.isPending}>
                          {t('inbox.resolve')}
                        </Button>
                      </>
                    )}
                  </div>
                </header>
                <ErrorNote error={setStatus.error ?? resend.error} />
                {c.merged_into ? (
                  <p className="note-box">
                    {t('inbox.mergedInto')} <Link to={`/inbox?c=${encodeURIComponent(c.merged_into)}`}>{t('inbox.openMerged')}</Link>
                  </p>
                ) : (
                  <Triage c={c} agentId={agentId} onDone={refresh} />
                )}
                <QueryState query={messages} isEmpty={(d) => d.data.length === 0} empty={t('inbox.noMessages')}>
                  {(d) => (
                    <ol className="plain thread" aria-label={t('inbox.messages')}>
                      {d.data.map((m) => (
                        <li key={m.id} className={`msg msg-${m.direction}`} data-direction={m.direction}>
                          <div className="msg-who muted">
                            {m.direction === 'in'
                              ? t('inbox.customer')
                              : m.direction === 'note'
                                ? t('inbox.note')
                                : (agentName(m.author_id) ?? t('inbox.agent'))}
                            {' · '}
                            <time dateTime={m.created_at ?? undefined}>{formatDateTime(m.created_at, i18n.language)}</time>
                          </div>
                          <div className="msg-text">{m.text}</div>
                          <Attachments items={m.attachments ?? []} />
                          {m.direction === 'out' && m.delivery_status === 'failed' && (
                            <div className="row-inline" title={m.delivery_error ?? undefined}>
                              <Badge tone="bad">{t('inbox.deliveryFailed')}</Badge> {m.delivery_error && <span className="muted">{m.delivery_error}</span>}{' '}
                              <Button onClick={() => resend.mutate(m.id)} busy={resend.isPending && resend.variables === m.id}>
                                {t('inbox.resend')}
                              </Button>
                            </div>
                          )}
                          {m.direction === 'out' && m.delivery_status === 'queued' && <Badge tone="warn">{t('inbox.deliveryRetrying')}</Badge>}
                        </li>
                      ))}
                    </ol>
                  )}
                </QueryState>
                <Composer id={id} agentId={agentId} lastInbound={lastIn?.text ?? ''} onSent={refresh} />
                {/* Keyed on the owner, so the pickers follow a change made elsewhere (taking it, the feed). */}
                <Assign key={`${c.assignee_id}:${c.team_id}`} c={c} agents={agents} teams={teams} onDone={refresh} />
                {!c.merged_into && <MergeInto c={c} onDone={refresh} />}
              </>
            )
          }
        </QueryState>
      </section>
      {c?.customer_id && <ContextPanel conversationId={id} customerId={c.customer_id} />}
    </>
  );
}

function Assign({ c, agents, teams, onDone }: { c: Conversation; agents: Agent[]; teams: Team[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [agent, setAgent] = useState(c.assignee_id ?? '');
  const [team, setTeam] = useState(c.team_id ?? '');
  const assign = useMutation({
    mutationFn: () => assignConversation(c.id, agent ? { agent_id: agent, force: true } : team ? { team_id: team } : { agent_id: null }),
    onSuccess: onDone,
  });
  return (
    <form
      className="row assign"
      aria-label={t('inbox.assign')}
      onSubmit={(e) => {
        e.preventDefault();
        assign.mutate();
      }}
    >
      <SelectField
        label={t('inbox.assignAgent')}
        value={agent}
        onChange={(e) => setAgent(e.target.value)}
        options={[{ value: '', label: t('inbox.nobody') }, ...agents.map((a) => ({ value: a.id, label: `${a.name} (${a.status})` }))]}
      />
      <SelectField
        label={t('inbox.assignTeam')}
        value={team}
        onChange={(e) => setTeam(e.target.value)}
        options={[{ value: '', label: t('inbox.nobody') }, ...teams.map((x) => ({ value: x.id, label: x.name }))]}
      />
      <div className="field">
        <Button type="submit" busy={assign.isPending}>
          {t('inbox.doAssign')}
        </Button>
      </div>
      <ErrorNote error={assign.error} />
    </form>
  );
}
