// Journeys: each triggered journey with its trigger, steps and enrollments, switched on or off.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Card, ErrorNote, QueryState, Table, formatDate } from '../../../shared/ui.js';
import type { Journey } from './outreach-data.js';
import { listJourneys, setJourneyActive } from '../../api/outreach.js';

export function JourneysTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const journeys = useQuery({ queryKey: ['outreach-journeys'], queryFn: () => listJourneys() });
  const toggle = useMutation({
    mutationFn: (j: { id: string; is_active: boolean }) => setJourneyActive(j.id, j.is_active),
    onSuccess: (r) => qc.setQueryData<{ data: Journey[] }>(['outreach-journeys'], (old) => old && { data: old.data.map((x) => (x.id === r.id ? r : x)) }),
  });
  return (
    <Card title={t('outreach.journeys')}>
      <QueryState query={journeys} isEmpty={(d) => d.data.length === 0} empty={t('outreach.noJourneys')}>
        {(d) => (
          <Table
            head={[t('outreach.name'), t('outreach.trigger'), t('outreach.steps'), t('outreach.enrollments'), t('outreach.created'), t('outreach.active')]}
          >
            {d.data.map((j) => (
              <tr key={j.id} data-journey={j.name}>
                <td>{j.name}</td>
                <td>
                  <code>{j.trigger}</code>
                </td>
                <td>{j.steps.length}</td>
                <td>
                  {Object.entries(j.enrollments)
                    .map(([status, n]) => `${status} ${n.toLocaleString(i18n.language)}`)
                    .join(' · ') || '—'}
                </td>
                <td>{formatDate(j.created_at, i18n.language)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('outreach.activeOf', { name: j.name })}
                    checked={j.is_active}
                    disabled={toggle.isPending && toggle.variables?.id === j.id}
                    onChange={(e) => toggle.mutate({ id: j.id, is_active: e.target.checked })}
                  />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
      <ErrorNote error={toggle.error} />
    </Card>
  );
}
