// Loop closure by team: cases, first contact and resolution times, closure rate, escalations.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Card } from '../../../shared/ui.js';
import { caseMetrics } from '../../api/cases.js';

export function Metrics() {
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
