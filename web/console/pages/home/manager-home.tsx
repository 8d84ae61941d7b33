// The manager's home: NPS and CSAT over the year, open cases by how their SLA stands, loop closure,
// crisis alerts and the points the programme owes. One tile per screen, each read from that screen's API.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../../shared/api.js';
import { Badge, formatDateTime, formatMoney, formatNumber } from '../../../shared/ui.js';
import { useNow } from '../../../shared/use-now.js';
import { Sparkline, Tile } from './home-tile.js';
import { listCases, type Case } from '../../api/cases.js';
import { listAlerts } from '../../api/listening.js';
import type { ExperienceAnswer, LoopAnswer, ProgrammeAnswer } from '../../api/analytics.js';

const HOUR = 3_600_000;

export function ManagerHome() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const now = useNow(60_000);
  const experience = useQuery({ queryKey: ['home', 'experience'], queryFn: () => get<ExperienceAnswer>('/v1/analytics/experience') });
  const cases = useQuery({
    queryKey: ['home', 'open-cases'],
    queryFn: async () => (await Promise.all(['new', 'contacted'].map((s) => listCases(`?status=${s}&limit=200`)))).flatMap((r) => r.data),
  });
  const loop = useQuery({ queryKey: ['home', 'loop'], queryFn: () => get<LoopAnswer>('/v1/analytics/loop') });
  const alerts = useQuery({ queryKey: ['home', 'alerts'], queryFn: () => listAlerts() });
  const programme = useQuery({ queryKey: ['home', 'programme'], queryFn: () => get<ProgrammeAnswer>('/v1/analytics/programme') });

  // A case's next deadline: first contact until the customer is contacted, then resolution.
  const slaOf = (c: Case) => {
    const due = !c.first_contact_at && c.first_contact_due_at ? c.first_contact_due_at : c.resolve_due_at;
    if (!due) return 'noDue';
    const left = new Date(due).getTime() - now;
    return left < 0 ? 'overdue' : left < HOUR ? 'dueSoon' : 'onTime';
  };

  return (
    <div className="grid home">
      <Tile
        title={t('home.experience')}
        to="/analytics"
        screen={t('nav.analytics')}
        query={experience}
        isEmpty={(d) => !d.totals.some((x) => x.n > 0)}
        empty={t('home.noScores')}
      >
        {(d) => (
          <div className="stat-row">
            {(['nps', 'csat'] as const).map((kind) => {
              const total = d.totals.find((x) => x.kind === kind);
              return (
                <div key={kind} data-kind={kind}>
                  <div className="stat-label">{t(`home.${kind}`)}</div>
                  <div className="stat-value">{formatNumber(total?.score, lng, { maximumFractionDigits: 1 })}</div>
                  <div className="muted">{t('home.answers', { n: formatNumber(total?.n ?? 0, lng) as never })}</div>
                  <Sparkline values={d.trend.filter((x) => x.kind === kind).map((x) => x.score)} label={`${t(`home.${kind}`)} · ${t('home.experienceHint')}`} />
                </div>
              );
            })}
          </div>
        )}
      </Tile>

      <Tile title={t('home.cases')} to="/cases" screen={t('nav.cases')} query={cases} isEmpty={(d) => !d.length} empty={t('home.noCases')}>
        {(d) => {
          const by = (state: string) => d.filter((c) => slaOf(c) === state).length;
          return (
            <>
              <div className="stat-row">
                {(['overdue', 'dueSoon', 'onTime'] as const).map((state) => (
                  <div key={state} data-sla={state}>
                    <div className="stat-label">{t(`home.${state}`)}</div>
                    <div className="stat-value">{formatNumber(by(state), lng)}</div>
                  </div>
                ))}
              </div>
              <p className="muted">{t('home.openCases', { n: formatNumber(d.length, lng) as never })}</p>
            </>
          );
        }}
      </Tile>

      <Tile title={t('home.loop')} to="/cases" screen={t('nav.cases')} query={loop} isEmpty={(d) => !d.cases} empty={t('home.noLoop')}>
        {(d) => (
          <>
            <div className="stat-value">{formatNumber(d.loop_closure_rate, lng, { style: 'percent', maximumFractionDigits: 1 })}</div>
            <p className="muted">{t('home.loopHint')}</p>
            <p>{t('home.closed', { closed: formatNumber(d.closed, lng), cases: formatNumber(d.cases, lng), told: formatNumber(d.customers_told, lng) })}</p>
          </>
        )}
      </Tile>

      <Tile title={t('home.alerts')} to="/listening" screen={t('nav.listening')} query={alerts} isEmpty={(d) => !d.data.length} empty={t('home.noAlerts')}>
        {(d) => {
          const active = d.data.filter((a) => !a.ended_at).length;
          return (
            <>
              <div className="stat-value">
                {active ? <Badge tone="bad">{t('home.activeAlerts', { n: active })}</Badge> : <Badge tone="good">{t('home.noActive')}</Badge>}
              </div>
              <p className="muted">{t('home.lastAlert', { when: formatDateTime(d.data[0].started_at, lng) })}</p>
            </>
          );
        }}
      </Tile>

      <Tile
        title={t('home.liability')}
        to="/loyalty"
        screen={t('nav.loyalty')}
        query={programme}
        isEmpty={(d) => !d.liability?.points_outstanding}
        empty={t('home.noLiability')}
      >
        {(d) => (
          <>
            <div className="stat-value">{formatMoney(d.liability!.outstanding_liability, 'CNY', lng)}</div>
            <p className="muted">{t('home.pointsOutstanding', { points: formatNumber(d.liability!.points_outstanding, lng) })}</p>
            <p className="muted">{t('home.members', { n: formatNumber(d.members, lng) as never })}</p>
          </>
        )}
      </Tile>
    </div>
  );
}
