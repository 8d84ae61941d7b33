// The agent's inbox: queues and filters, the conversation list with SLA countdowns, the conversation
// with its composer, and the customer beside it. The list and the open conversation follow the live
// feed: a frame marks the cached queries it touches as stale and TanStack Query refetches them.
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, ErrorNote, QueryState, SelectField } from '../../../shared/ui.js';
import { useMe } from '../../session.js';
import { useInboxFeed, type FeedFrame } from '../../use-inbox-feed.js';
import { listAgents, listConversations, listTeams, setAgentStatus, type AgentView as Agent, type ConversationStatus } from '../../api/inbox.js';
import { everyOf } from '../../../shared/contract.js';
import { ConversationPane } from './conversation-pane.js';
import { ConversationRow } from './conversation-row.js';

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
        <QueryState query={list} isEmpty={() => rows.length === 0} empty={t('inbox.none')}>
          {() => (
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
        </QueryState>
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
