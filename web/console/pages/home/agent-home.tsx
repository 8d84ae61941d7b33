// The agent's home: their open conversations, the ones nobody has picked up, and what is about to miss
// (or has missed) its SLA, soonest first. Each links into the inbox.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listAgents, listConversations, type Conversation } from '../../api/inbox.js';
import { Badge, formatNumber } from '../../../shared/ui.js';
import { useMe } from '../../session.js';
import { useNow } from '../../../shared/use-now.js';
import { formatSpan } from '../../../shared/format-span.js';
import { Tile } from './home-tile.js';

const HOUR = 3_600_000;

/** The conversation's next SLA deadline, as the inbox reads it. */
function dueOf(c: Conversation): string | null {
  if (!c.sla.first_responded_at && c.sla.first_response_due_at) return c.sla.first_response_due_at;
  return c.sla.next_response_due_at ?? c.sla.resolution_due_at;
}

export function AgentHome() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const now = useNow(30_000);
  const { data: me } = useMe();
  const mine = useQuery({
    queryKey: ['home', 'my-queue', me?.id],
    queryFn: async () => {
      const agent = (await listAgents()).data.find((a) => a.user_id && a.user_id === me?.id);
      const list = agent ? (await listConversations({ assignee_id: agent.id, status: 'open', limit: 200 })).data : [];
      return { agent, list };
    },
  });
  const unassigned = useQuery({ queryKey: ['home', 'unassigned'], queryFn: () => listConversations({ unassigned: 'true', status: 'open', limit: 200 }) });

  const risks = (list: Conversation[]) =>
    list
      .map((c) => ({ c, due: dueOf(c) }))
      .filter(({ c, due }) => c.sla.status === 'breached' || (due && new Date(due).getTime() - now < HOUR))
      .sort((a, b) => (a.due ? new Date(a.due).getTime() : 0) - (b.due ? new Date(b.due).getTime() : 0));

  return (
    <div className="grid home">
      <Tile
        title={t('home.queue')}
        to="/inbox?queue=mine"
        screen={t('nav.inbox')}
        query={mine}
        isEmpty={(d) => !d.agent || !d.list.length}
        empty={mine.data?.agent ? t('home.emptyQueue') : t('home.noAgent')}
      >
        {(d) => (
          <>
            <div className="stat-value">{formatNumber(d.list.length, lng)}</div>
            <p className="muted">{t('home.queueCount', { n: formatNumber(d.list.length, lng) as never })}</p>
          </>
        )}
      </Tile>

      <Tile title={t('home.risks')} to="/inbox?queue=mine" screen={t('nav.inbox')} query={mine} isEmpty={(d) => !d.agent} empty={t('home.noAgent')}>
        {(d) => {
          const late = risks(d.list);
          if (!late.length) return <p>{t('home.noRisks')}</p>;
          return (
            <>
              <p className="muted">{t('home.riskHint')}</p>
              <ul className="home-list">
                {late.slice(0, 8).map(({ c, due }) => {
                  const left = due ? new Date(due).getTime() - now : -1;
                  return (
                    <li key={c.id}>
                      <Link to={`/inbox?queue=mine&c=${c.id}`}>{c.subject || c.last_message?.text || t('home.untitled')}</Link>{' '}
                      <Badge tone={left < 0 ? 'bad' : 'warn'}>
                        {!due ? t('home.breached') : left < 0 ? t('home.lateBy', { time: formatSpan(left) }) : t('home.dueIn', { time: formatSpan(left) })}
                      </Badge>
                    </li>
                  );
                })}
              </ul>
            </>
          );
        }}
      </Tile>

      <Tile title={t('home.unassigned')} to="/inbox?queue=unassigned" screen={t('nav.inbox')} query={unassigned}>
        {(d) => (
          <>
            <div className="stat-value">{formatNumber(d.data.length, lng)}</div>
            <p className="muted">{t('home.unassignedCount', { n: formatNumber(d.data.length, lng) as never })}</p>
            {risks(d.data).length > 0 && (
              <Badge tone="warn">
                {t('home.risks')}: {formatNumber(risks(d.data).length, lng)}
              </Badge>
            )}
          </>
        )}
      </Tile>
    </div>
  );
}
