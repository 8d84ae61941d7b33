// The customer's loyalty tab: available and pending points, tier, points about to expire, and the
// latest ledger transactions of the last twelve months, newest first.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Card, QueryState, Table, formatDate, formatDateTime, formatNumber } from '../../../shared/ui.js';
import { getBalance, getProgram, getStatement } from '../../api/loyalty.js';

const YEAR = 365 * 86_400_000;
const LATEST = 50;

export function CustomerLoyalty({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const balance = useQuery({ queryKey: ['loyalty-balance', customerId], queryFn: () => getBalance(customerId) });
  const statement = useQuery({
    queryKey: ['loyalty-statement', customerId],
    queryFn: () => getStatement(customerId, { from: new Date(Date.now() - YEAR).toISOString() }),
  });
  const program = useQuery({ queryKey: ['loyalty-program'], queryFn: () => getProgram() });
  const tierName = (id: string) => program.data?.tiers.find((x) => x.id === id)?.name ?? id;
  // "engagement:survey" reads as Engagement (Survey answered); "manual:goodwill" as Manual adjustment (goodwill).
  const reason = (r: string) => {
    const [head, detail] = r.split(':');
    const name = t(`customer.points.reasons.${head}`, { defaultValue: head.replace(/_/g, ' ') });
    if (!detail) return name;
    return `${name} (${head === 'engagement' ? t(`loyalty.engagementKind.${detail}`, { defaultValue: detail }) : detail.replace(/_/g, ' ')})`;
  };
  return (
    <>
      <Card title={t('customer.tab.loyalty')}>
        <QueryState query={balance}>
          {(b) => (
            <>
              <dl className="kv">
                <dt>{t('customer.points.available')}</dt>
                <dd>{formatNumber(b.available, lng)}</dd>
                <dt>{t('customer.points.pending')}</dt>
                <dd>{formatNumber(b.pending, lng)}</dd>
                {b.debt > 0 && (
                  <>
                    <dt>{t('customer.points.debt')}</dt>
                    <dd>{formatNumber(b.debt, lng)}</dd>
                  </>
                )}
                <dt>{t('customer.points.tier')}</dt>
                <dd>{b.tier ? tierName(b.tier) : t('customer.points.noTier')}</dd>
              </dl>
              {b.expiring_soon.points > 0 && (
                <p className="muted">
                  {t('customer.points.expiring', {
                    points: formatNumber(b.expiring_soon.points, lng),
                    date: formatDate(b.expiring_soon.first_expires_at, lng),
                  })}
                </p>
              )}
            </>
          )}
        </QueryState>
      </Card>
      <Card title={t('customer.points.statement')}>
        <QueryState query={statement} isEmpty={(s) => s.transactions.length === 0} empty={t('customer.points.none')}>
          {(s) => (
            <Table
              head={[
                t('customer.points.when'),
                t('customer.points.what'),
                t('customer.points.reason'),
                t('customer.points.change'),
                t('customer.points.pendingChange'),
              ]}
            >
              {s.transactions
                .slice(-LATEST)
                .reverse()
                .map((x) => (
                  <tr key={x.transaction_id} data-id={x.transaction_id}>
                    <td>{formatDateTime(x.at, lng)}</td>
                    <td>{t(`customer.points.kind.${x.kind}`, { defaultValue: x.kind.replace(/_/g, ' ') })}</td>
                    <td>{reason(x.reason)}</td>
                    <td>{formatNumber(x.change.available, lng, { signDisplay: 'exceptZero' })}</td>
                    <td>{x.change.pending ? formatNumber(x.change.pending, lng, { signDisplay: 'exceptZero' }) : '—'}</td>
                  </tr>
                ))}
            </Table>
          )}
        </QueryState>
      </Card>
    </>
  );
}
