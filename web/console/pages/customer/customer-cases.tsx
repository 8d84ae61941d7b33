// The customer's cases tab: their cases, newest first, each opening in the cases screen.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Card, QueryState, Table, formatDateTime } from '../../../shared/ui.js';
import { qs } from '../../../shared/api.js';
import { listCases } from '../../api/cases.js';

const PRIORITY_TONE: Record<string, 'bad' | 'warn' | 'neutral'> = { urgent: 'bad', high: 'warn' };

export function CustomerCases({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const cases = useQuery({ queryKey: ['cases', 'customer', customerId], queryFn: () => listCases(qs({ customer_id: customerId, limit: 200 })) });
  const lng = i18n.language;
  return (
    <Card title={t('customer.tab.cases')}>
      <QueryState query={cases} isEmpty={(d) => d.data.length === 0} empty={t('customer.casesNone')}>
        {(d) => (
          <Table head={[t('cases.summary'), t('inbox.status'), t('cases.priority'), t('customer.opened')]}>
            {d.data.map((c) => (
              <tr key={c.id} data-id={c.id}>
                <td>
                  <Link to={`/cases?case=${encodeURIComponent(c.id)}`}>
                    {c.summary ?? t(`caseType.${c.type}`, { defaultValue: c.type.replace(/_/g, ' ') })}
                  </Link>
                </td>
                <td>
                  <Badge>{t(`cases.status.${c.status}`)}</Badge>
                </td>
                <td>
                  <Badge tone={PRIORITY_TONE[c.priority] ?? 'neutral'}>{t(`inbox.priority.${c.priority}`, { defaultValue: c.priority })}</Badge>
                </td>
                <td>{formatDateTime(c.created_at, lng)}</td>
              </tr>
            ))}
          </Table>
        )}
      </QueryState>
    </Card>
  );
}
