// The agent's inbox: queues and filters, the conversation list with SLA countdowns, the conversation
// with its composer, and the customer beside it. The list and the open conversation follow the live
// feed: a frame marks the cached queries it touches as stale and TanStack Query refetches them.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../../shared/api.js';
import { Badge, Button, Empty, ErrorNote, Loading, SelectField, formatDateTime, formatMoney } from '../../../shared/ui.js';
import { useMe } from '../../session.js';
import { useInboxFeed, type FeedFrame } from '../../use-inbox-feed.js';
import { useNow } from '../../../shared/use-now.js';
import { formatSpan } from '../../../shared/format-span.js';
import { Attachments, MergeInto, Triage } from './triage.js';
import { ArticleSuggestions } from './article-suggestions.js';
import {
  addNote,
  assignConversation,
  getContext,
  getConversation,
  listAgents,
  listCannedReplies,
  listConversations,
  listMessages,
  listTeams,
  resendMessage,
  sendReply,
  setAgentStatus,
  updateConversation,
  type AgentView as Agent,
  type CannedReplyView as CannedReply,
  type Conversation,
  type TeamView as Team,
  type ConversationStatus,
} from '../../api/inbox.js';
import { everyOf } from '../../../shared/contract.js';
import { suggestForMessage } from '../../api/knowledge.js';
import type { ConversationPatch } from '../../../../src/modules/inbox/contract.js';
import { customerName } from '../../../shared/customer-name.js';

const STATUSES = everyOf<ConversationStatus>()(['open', 'pending', 'snoozed', 'resolved']);

export function useAgentsAndTeams() {
  const agents = useQuery({ queryKey: ['inbox-agents'], queryFn: () => listAgents() });
  const teams = useQuery({ queryKey: ['inbox-teams'], queryFn: () => listTeams() });
  return { agents: agents.data?.data ?? [], teams: teams.data?.data ?? [] };
}

export default function InboxPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const { agents, teams } = useAgentsAndTeams();
  const myAgent = agents.find((a) => a.user_id && a.user_id === me?.id);
  const queue = params.get('queue') ?? 'all';
  const status = params.get('status') ?? 'open';
  const selected = params.get('c');
  const set = (k: string, v: string | null) => {
    const p = new URLSearchParams(params);
    if (v === null) p.delete(k);
    else p.set(k, v);
    setParams(p, { replace: true });
  };

  const filter =
    queue === 'mine'
      ? { assignee_id: myAgent?.id }
      : queue === 'unassigned'
        ? { unassigned: 'true' as const }
        : queue.startsWith('team:')
          ? { team_id: queue.slice(5) }
          : {};
  const listKey = ['conversations', queue, status, myAgent?.id ?? null];
  // Pages of 100, newest first; "Load more" follows the cursor. A feed frame refetches every loaded page.
  const list = useInfiniteQuery({
    queryKey: listKey,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      listConversations({ limit: 100, cursor: pageParam, status: queue === 'unassigned' ? undefined : status || undefined, ...filter }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);

  const isLive = useInboxFeed((f: FeedFrame) => {
    void qc.invalidateQueries({ queryKey: ['conversations'] });
    if (f.type.startsWith('conversation.') || f.type === 'agent.updated') void qc.invalidateQueries({ queryKey: ['inbox-teams'] });
    if (f.conversation_id) {
      void qc.invalidateQueries({ queryKey: ['conversation', f.conversation_id] });
      void qc.invalidateQueries({ queryKey: ['messages', f.conversation_id] });
    }
  });

  // Keyboard: j and k move through the list, r goes to the composer (not while typing in a field).
  const ids = rows.map((c) => c.id);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable) return;
      if (e.key === 'j' || e.key === 'k') {
        const i = selected ? ids.indexOf(selected) : -1;
        const next = ids[Math.min(ids.length - 1, Math.max(0, e.key === 'j' ? i + 1 : i - 1))];
        if (next && next !== selected) {
          e.preventDefault();
          set('c', next);
        }
      } else if (e.key === 'r' && selected) {
        const box = document.getElementById(`composer-${selected}`);
        if (box) {
          e.preventDefault();
          box.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <div className="inbox">
      <h1 className="visually-hidden">{t('inbox.title')}</h1>
      <nav className="inbox-queues card" aria-label={t('inbox.queues')}>
        <h2>
          {t('inbox.queues')} <Badge tone={isLive ? 'good' : 'warn'}>{isLive ? t('inbox.live') : t('inbox.offline')}</Badge>
        </h2>
        <ul className="plain queue-list">
          {[['all', t('inbox.all')], ...(myAgent ? [['mine', t('inbox.mine')]] : []), ['unassigned', t('inbox.unassigned')]].map(([k, label]) => (
            <li key={k}>
              <button type="button" className="queue" aria-current={queue === k || undefined} onClick={() => set('queue', k)}>
                {label}
              </button>
            </li>
          ))}
          {teams.map((tm) => (
            <li key={tm.id}>
              <button type="button" className="queue" aria-current={queue === `team:${tm.id}` || undefined} onClick={() => set('queue', `team:${tm.id}`)}>
                {t('inbox.team', { name: tm.name })} <span className="muted">{t('inbox.queued', { count: tm.queued })}</span>
              </button>
            </li>
          ))}
        </ul>
        {myAgent && <MyAvailability agent={myAgent} />}
        <SelectField
          label={t('inbox.status')}
          value={status}
          onChange={(e) => set('status', e.target.value)}
          options={[{ value: '', label: t('inbox.anyStatus') }, ...STATUSES.map((s) => ({ value: s, label: t(`inbox.st.${s}`) }))]}
        />
        <p className="muted keys">{t('inbox.keys')}</p>
      </nav>
      <section className="inbox-list card" aria-labelledby="conv-list-h">
        <h2 id="conv-list-h">{t('inbox.conversations')}</h2>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNote error={list.error} />
        ) : rows.length === 0 ? (
          <Empty>{t('inbox.none')}</Empty>
        ) : (
          <ul className="plain conv-list" aria-label={t('inbox.conversations')}>
            {rows.map((c) => (
              <ConversationRow key={c.id} c={c} isSelected={c.id === selected} onOpen={() => set('c', c.id)} />
            ))}
            {list.hasNextPage && (
              <li>
                <Button variant="ghost" onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
                  {t('inbox.loadMore')}
                </Button>
              </li>
            )}
          </ul>
        )}
      </section>
      {selected ? (
        <ConversationPane key={selected} id={selected} agentId={myAgent?.id} agents={agents} teams={teams} />
      ) : (
        <section className="inbox-conv card">
          <p className="empty">{t('inbox.select')}</p>
        </section>
      )}
    </div>
  );
}

/** The agent's own availability: routing gives new conversations only to agents online. */
function MyAvailability({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: (status: string) => setAgentStatus(agent.id, status),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['inbox-agents'] }),
  });
  return (
    <>
      <SelectField
        label={t('inbox.myStatus')}
        value={agent.status}
        disabled={change.isPending}
        onChange={(e) => change.mutate(e.target.value)}
        options={['online', 'away', 'offline'].map((x) => ({ value: x, label: t(`inboxSettings.agentStatus.${x}`) }))}
      />
      <ErrorNote error={change.error} />
    </>
  );
}

/** The deadline that matters now: the first response until it is given, then the next response. */
export function nextDeadline(c: Conversation): { kind: 'firstResponse' | 'nextResponse' | 'resolution'; at: string } | null {
  if (c.status === 'resolved') return null;
  if (!c.sla.first_responded_at && c.sla.first_response_due_at) return { kind: 'firstResponse', at: c.sla.first_response_due_at };
  if (c.sla.next_response_due_at) return { kind: 'nextResponse', at: c.sla.next_response_due_at };
  if (c.sla.resolution_due_at) return { kind: 'resolution', at: c.sla.resolution_due_at };
  return null;
}

export function SlaCountdown({ c }: { c: Conversation }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const d = nextDeadline(c);
  if (!d)
    return c.sla.status === 'breached' ? (
      <Badge tone="bad">{t('inbox.sla.breached')}</Badge>
    ) : c.sla.policy_id ? (
      <Badge tone="good">{t('inbox.sla.met')}</Badge>
    ) : null;
  const left = new Date(d.at).getTime() - now;
  const tone = left < 0 ? 'bad' : left < 15 * 60_000 ? 'warn' : 'info';
  return (
    <span className="sla" data-sla={left < 0 ? 'overdue' : 'due'} title={`${t(`inbox.sla.${d.kind}`)} · ${formatDateTime(d.at, i18n.language)}`}>
      <Badge tone={tone}>
        {t(`inbox.sla.${d.kind}`)}: {left < 0 ? t('inbox.sla.overdue', { time: formatSpan(left) }) : t('inbox.sla.due', { time: formatSpan(left) })}
      </Badge>
    </span>
  );
}

function ConversationRow({ c, isSelected, onOpen }: { c: Conversation; isSelected: boolean; onOpen: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <li>
      <button type="button" className="conv-row" aria-current={isSelected || undefined} onClick={onOpen} data-id={c.id}>
        <span className="conv-top">
          <strong>{c.subject || c.last_message?.text?.slice(0, 60) || t('inbox.noSubject')}</strong>
          {c.priority !== 'normal' && (
            <Badge tone={c.priority === 'urgent' ? 'bad' : c.priority === 'high' ? 'warn' : 'neutral'}>
              {t(`inbox.priority.${c.priority}`, { defaultValue: c.priority })}
            </Badge>
          )}
        </span>
        {c.subject && c.last_message && (
          <span className="conv-preview muted">
            {c.last_message.direction === 'out' ? '↩ ' : ''}
            {c.last_message.text}
          </span>
        )}
        <span className="conv-meta">
          <Badge>{t(`inbox.st.${c.status}`)}</Badge>
          {c.last_channel_kind && <span className="muted">{t(`channel.${c.last_channel_kind}`, { defaultValue: c.last_channel_kind })}</span>}
          <SlaCountdown c={c} />
          {c.tags.map((x) => (
            <Badge key={x} tone="info">
              {x}
            </Badge>
          ))}
          <span className="muted">{formatDateTime(c.last_message_at ?? c.created_at, i18n.language)}</span>
        </span>
      </button>
    </li>
  );
}

function ConversationPane({ id, agentId, agents, teams }: { id: string; agentId?: string; agents: Agent[]; teams: Team[] }) {
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
        {conv.isPending ? (
          <Loading />
        ) : conv.error ? (
          <ErrorNote error={conv.error} />
        ) : (
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
              {messages.isPending ? (
                <Loading />
              ) : messages.error ? (
                <ErrorNote error={messages.error} />
              ) : messages.data.data.length === 0 ? (
                <Empty>{t('inbox.noMessages')}</Empty>
              ) : (
                <ol className="plain thread" aria-label={t('inbox.messages')}>
                  {messages.data.data.map((m) => (
                    <li key={m.id} className={`msg msg-${m.direction}`} data-direction={m.direction}>
                      <div className="msg-who muted">
                        {m.direction === 'in' ? t('inbox.customer') : m.direction === 'note' ? t('inbox.note') : (agentName(m.author_id) ?? t('inbox.agent'))}
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
              <Composer id={id} agentId={agentId} lastInbound={lastIn?.text ?? ''} onSent={refresh} />
              {/* Keyed on the owner, so the pickers follow a change made elsewhere (taking it, the feed). */}
              <Assign key={`${c.assignee_id}:${c.team_id}`} c={c} agents={agents} teams={teams} onDone={refresh} />
              {!c.merged_into && <MergeInto c={c} onDone={refresh} />}
            </>
          )
        )}
      </section>
      {c?.customer_id && <ContextPanel conversationId={id} customerId={c.customer_id} />}
    </>
  );
}

function Composer({ id, agentId, lastInbound, onSent }: { id: string; agentId?: string; lastInbound: string; onSent: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<CannedReply | null>(null);
  const replies = useQuery({ queryKey: ['canned-replies'], queryFn: () => listCannedReplies() });
  const suggestions = useQuery({
    queryKey: ['suggestions', lastInbound],
    enabled: !!lastInbound.trim(),
    queryFn: () => suggestForMessage(lastInbound.slice(0, 10_000), 3),
  });
  const send = useMutation({
    mutationFn: () =>
      mode === 'note'
        ? addNote(id, { text, ...(agentId ? { agent_id: agentId } : {}) })
        : // An unchanged canned reply is sent by id, so the server fills its variables ({{customer.name}}).
          sendReply(
            id,
            canned && canned.body === text
              ? { canned_reply_id: canned.id, ...(agentId ? { agent_id: agentId } : {}) }
              : { text, ...(agentId ? { agent_id: agentId } : {}) },
          ),
    onSuccess: () => {
      setText('');
      setCanned(null);
      onSent();
    },
  });
  const insert = (r: CannedReply | undefined) => {
    if (!r) return;
    setText(r.body);
    setCanned(r);
    setMode('reply');
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && text.trim()) {
      e.preventDefault();
      send.mutate();
    }
  };
  const byId = useMemo(() => new Map((replies.data?.data ?? []).map((r) => [r.id, r])), [replies.data]);
  const suggested = (suggestions.data?.canned_replies ?? []).filter((s) => byId.has(s.id));
  return (
    <form
      className="composer"
      aria-label={t('inbox.composer')}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) send.mutate();
      }}
    >
      <fieldset className="mode">
        <legend className="visually-hidden">{t('inbox.mode')}</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'reply'} onChange={() => setMode('reply')} /> {t('inbox.modeReply')}
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'note'} onChange={() => setMode('note')} /> {t('inbox.modeNote')}
        </label>
      </fieldset>
      {suggested.length > 0 && (
        <div className="suggestions" role="region" aria-label={t('inbox.suggested')}>
          <span className="muted">{t('inbox.suggested')}:</span>
          {suggested.map((s) => (
            <Button key={s.id} variant="ghost" onClick={() => insert(byId.get(s.id))}>
              {s.title ?? s.text.slice(0, 40)}
            </Button>
          ))}
        </div>
      )}
      {/* An article's link or text goes after what the agent has written, as a reply. */}
      <ArticleSuggestions
        articles={suggestions.data?.articles ?? []}
        onInsert={(x) => {
          setText((cur) => (cur.trim() ? `${cur.trimEnd()}\n\n${x}` : x));
          setCanned(null);
          setMode('reply');
        }}
      />
      <div className="field">
        <label htmlFor={`composer-${id}`}>{mode === 'note' ? t('inbox.noteLabel') : t('inbox.replyLabel')}</label>
        <textarea
          id={`composer-${id}`}
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          className={mode === 'note' ? 'note-input' : undefined}
        />
        <small className="field-hint">{t('inbox.shortcutHint')}</small>
      </div>
      <div className="row">
        <SelectField
          label={t('inbox.cannedPick')}
          value=""
          onChange={(e) => insert(byId.get(e.target.value))}
          options={[
            { value: '', label: replies.data?.data.length ? '—' : t('inbox.cannedNone') },
            ...(replies.data?.data ?? []).map((r) => ({ value: r.id, label: `/${r.shortcut} · ${r.title}` })),
          ]}
        />
        <div className="field">
          <Button type="submit" variant="primary" busy={send.isPending} disabled={!text.trim()}>
            {mode === 'note' ? t('inbox.addNote') : t('inbox.send')}
          </Button>
        </div>
      </div>
      <ErrorNote error={send.error} />
    </form>
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

function ContextPanel({ conversationId, customerId }: { conversationId: string; customerId: string }) {
  const { t, i18n } = useTranslation();
  const ctx = useQuery({ queryKey: ['conversation', conversationId, 'context'], queryFn: () => getContext(conversationId) });
  const balance = useQuery({
    queryKey: ['balance', customerId],
    queryFn: () => get<{ available: number; tier: string | null }>(`/v1/loyalty/customers/${customerId}/balance`),
    retry: false,
  });
  const d = ctx.data;
  const current = useMemo(() => {
    const m = new Map<string, { channel: string; purpose: string; status: string }>();
    for (const r of d?.consent ?? []) m.set(`${r.channel}/${r.purpose}`, r);
    return [...m.values()];
  }, [d]);
  return (
    <aside className="inbox-context card" aria-labelledby="ctx-h">
      <h2 id="ctx-h">{t('inbox.context')}</h2>
      {ctx.isPending ? (
        <Loading />
      ) : ctx.error ? (
        <ErrorNote error={ctx.error} />
      ) : (
        d && (
          <>
            <h3 className="ctx-name">{customerName(d.customer, i18n.language) ?? t('inbox.unknownCustomer')}</h3>
            {d.customer?.value?.is_core && <Badge tone="info">{t('inbox.core')}</Badge>}
            <dl className="kv">
              {(d.customer?.identities ?? []).slice(0, 4).map((i) => (
                <FragmentKV key={`${i.kind}:${i.value}`} k={t(`identity.${i.kind}`, { defaultValue: i.kind })} v={i.value} />
              ))}
              <FragmentKV k={t('inbox.tier')} v={balance.data?.tier ?? d.loyalty_tier ?? '—'} />
              <FragmentKV k={t('inbox.points')} v={balance.data ? String(balance.data.available) : '—'} />
              {d.customer?.value?.clv != null && <FragmentKV k={t('inbox.clv')} v={formatMoney(d.customer.value.clv, 'CNY', i18n.language)} />}
              <FragmentKV k={t('inbox.channels')} v={(d.preferences?.channels ?? []).map((c) => t(`channel.${c}`, { defaultValue: c })).join(', ') || '—'} />
              <FragmentKV k={t('inbox.language')} v={d.preferences?.language ?? d.customer?.locale ?? '—'} />
            </dl>
            {d.hints.length > 0 && (
              <>
                <h3>{t('inbox.hints')}</h3>
                <ul className="hints">
                  {d.hints.map((h) => (
                    <li key={h.code} data-hint={h.code}>
                      {t(`inbox.hint.${h.code}`, { defaultValue: h.message, tier: d.loyalty_tier ?? '' })}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <h3>{t('inbox.consent')}</h3>
            {current.length === 0 ? (
              <p className="muted">—</p>
            ) : (
              <ul className="plain">
                {current.map((r) => (
                  <li key={`${r.channel}/${r.purpose}`}>
                    {t(`purpose.${r.purpose}`, { defaultValue: r.purpose })} · {t(`channel.${r.channel}`, { defaultValue: r.channel })}:{' '}
                    <Badge tone={r.status === 'granted' ? 'good' : 'bad'}>{t(`consent.${r.status}`, { defaultValue: r.status })}</Badge>
                  </li>
                ))}
              </ul>
            )}
            <h3>{t('inbox.openCases')}</h3>
            {d.open_cases.length === 0 ? (
              <p className="muted">{t('inbox.noCases')}</p>
            ) : (
              <ul className="plain">
                {d.open_cases.map((c) => (
                  <li key={c.id}>
                    <Link to={`/cases?case=${c.id}`}>{c.type}</Link>
                  </li>
                ))}
              </ul>
            )}
            <h3>{t('inbox.lastFeedback')}</h3>
            {d.last_feedback ? (
              <p>
                {d.last_feedback.kind?.toUpperCase()} {d.last_feedback.score} {d.last_feedback.text ? `· ${d.last_feedback.text}` : ''}
              </p>
            ) : (
              <p className="muted">{t('inbox.noFeedback')}</p>
            )}
            <h3>{t('inbox.timeline')}</h3>
            <ol className="plain timeline">
              {d.recent_timeline.slice(0, 8).map((e) => (
                <li key={e.id}>
                  <strong>{t(`eventType.${e.type}`, { defaultValue: e.type })}</strong>
                  <div className="when">{formatDateTime(e.occurred_at, i18n.language)}</div>
                </li>
              ))}
            </ol>
            {d.customer && <Link to={`/customers/${d.customer.id}`}>{t('inbox.openProfile')}</Link>}
          </>
        )
      )}
    </aside>
  );
}

function FragmentKV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}
