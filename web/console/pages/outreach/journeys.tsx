// Journeys: each triggered journey with its trigger, steps and enrollments, switched on or off.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Card, ErrorNote, QueryState, Table, formatDate, formatNumber } from '../../../shared/ui.js';
import { humanizeLabel, useWord } from '../../../shared/words.js';
import type { Journey } from './outreach-data.js';
import { listJourneys, setJourneyActive } from '../../api/outreach.js';

export function JourneysTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const word = useWord();
  const trigger = useTriggerWords();
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
                  <span data-trigger={j.trigger}>{trigger(j.trigger)}</span>
                </td>
                <td>{j.steps.length}</td>
                <td>
                  {Object.entries(j.enrollments)
                    .map(([status, n]) => `${word('outreach.enrollmentStatus', status, true)} ${formatNumber(n, i18n.language)}`)
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

/** A journey's trigger, a message type on the bus, as words: `event.sign_up` → "Event: Sign-up", `case.opened` → "Case opened". */
function useTriggerWords() {
  const { t, i18n } = useTranslation();
  // The timeline's words for event types; a type they do not name (or a group of them) is shown as words.
  const named = (type: string) =>
    typeof i18n.getResource('en', 'translation', `eventType.${type}`) === 'string' ? t(`eventType.${type}`) : humanizeLabel(type.replace(/\./g, ' '));
  return (trigger: string) => (trigger.startsWith('event.') ? t('outreach.eventTrigger', { event: named(trigger.slice('event.'.length)) }) : named(trigger));
}
