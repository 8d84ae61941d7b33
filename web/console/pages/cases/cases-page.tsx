// The loop's cases board: columns by status, filtered by team, each card with its SLA state; a case's
// workflow (contact, resolve and tell, won't fix, move); improvement actions that group cases and,
// once fixed, tell every affected customer; loop closure by team.
import { useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, PageHeader, QueryState, SelectField } from '../../../shared/ui.js';
import { useNow } from '../../../shared/use-now.js';
import { formatSpan } from '../../../shared/format-span.js';
import { everyOf } from '../../../shared/contract.js';
import { listCases, type Case, type CaseStatus } from '../../api/cases.js';
import { CaseDrawer } from './case-drawer.js';
import { Issues } from './issues.js';
import { Metrics } from './metrics.js';
import { NewCase } from './new-case.js';
import { useCaseWords } from './case-words.js';

const STATUSES = everyOf<CaseStatus>()(['new', 'contacted', 'resolved', 'wont_fix']);

export default function CasesPage() {
  const { t } = useTranslation();
  const words = useCaseWords();
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
      <QueryState query={all}>
        {() => (
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
                            <strong>{c.summary ?? words.caseType(c.type)}</strong>
                            <span className="conv-meta">
                              <Badge>{words.caseType(c.type)}</Badge>
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
      </QueryState>
      {openId && <CaseDrawer key={openId} id={openId} onClose={() => set('case', null)} />}
      <div className="grid">
        <Issues />
        <NewCase />
      </div>
      <Metrics />
    </>
  );
}

export function CaseSla({ c }: { c: Case }) {
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

export function useRefreshCases() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['cases'] });
    void qc.invalidateQueries({ queryKey: ['case'] });
    void qc.invalidateQueries({ queryKey: ['loop-issues'] });
  };
}
