// The customer's feedback tab: their survey answers, newest first: kind, score, comment and its sentiment.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Card, QueryState, Table, formatDateTime, formatNumber } from '../../../shared/ui.js';
import { listResponses } from '../../api/surveys.js';
import { oneLine } from './one-line.js';

const SENTIMENT_TONE: Record<string, 'good' | 'bad' | 'neutral'> = { positive: 'good', negative: 'bad' };

export function CustomerFeedback({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const responses = useQuery({
    queryKey: ['responses', 'customer', customerId],
    queryFn: () => listResponses({ customer_id: customerId, limit: 100 }),
  });
  const lng = i18n.language;
  return (
    <Card title={t('customer.tab.feedback')}>
      <QueryState query={responses} isEmpty={(d) => d.data.length === 0} empty={t('customer.responsesNone')}>
        {(d) => (
          <Table head={[t('customer.answered'), t('surveys.surveyKind'), t('surveys.score'), t('surveys.openText'), t('listening.sentiment')]}>
            {d.data.map((r) => (
              <tr key={r.id} data-id={r.id}>
                <td>{formatDateTime(r.submitted_at ?? r.started_at, lng)}</td>
                <td>{t(`surveys.kind.${r.kind}`, { defaultValue: r.kind })}</td>
                <td>{formatNumber(r.score, lng)}</td>
                <td title={r.open_text ?? undefined}>{oneLine(r.open_text) || '—'}</td>
                <td>
                  {r.sentiment ? (
                    <Badge tone={SENTIMENT_TONE[r.sentiment] ?? 'neutral'}>{t(`listening.sent.${r.sentiment}`, { defaultValue: r.sentiment })}</Badge>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
    </Card>
  );
}
