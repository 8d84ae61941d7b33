// The customer's rewards: points and tier progress, the catalogue to redeem from, every voucher they
// hold, and where their points came from and went.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Empty, ErrorNote, Loading, QueryState, formatDateTime } from '../shared/ui.js';
import { getLoyalty, listPoints, listVouchers, redeem as redeemReward, type Redeemed } from './api.js';

/** Points, tier progress and the rewards the customer can choose; redeeming shows the voucher at once. */
export function Rewards() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const loyalty = useQuery({ queryKey: ['portal-loyalty'], queryFn: () => getLoyalty() });
  const [voucher, setVoucher] = useState<(Redeemed & { reward: string }) | null>(null);
  const redeem = useMutation({
    // One key per click: a network retry of the same click redeems once.
    mutationFn: (r: { id: string; offer_id: string | null; name: string }) =>
      redeemReward({
        reward_id: r.id,
        ...(r.offer_id ? { offer_id: r.offer_id } : {}),
        idempotency_key: `${r.id}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`,
      }),
    onSuccess: (v, r) => {
      setVoucher({ ...v, reward: r.name });
      qc.setQueryData(['portal-loyalty'], v.loyalty);
      void qc.invalidateQueries({ queryKey: ['portal-vouchers'] });
      void qc.invalidateQueries({ queryKey: ['portal-points'] });
    },
  });
  if (loyalty.isPending) return <Loading />;
  if (loyalty.error) return <ErrorNote error={loyalty.error} />;
  const l = loyalty.data;
  const num = new Intl.NumberFormat(i18n.language);
  return (
    <>
      <Card title={t('portal.rewards.title')}>
        <p className="portal-points" data-testid="points">
          <strong>{num.format(l.points.available)}</strong> {t('portal.rewards.points')}
        </p>
        {l.points.pending > 0 && <p className="muted">{t('portal.rewards.pending', { points: num.format(l.points.pending) })}</p>}
        {l.points.expiring > 0 && l.points.expiring_at && (
          <p className="muted">
            {t('portal.rewards.expiring', { points: num.format(l.points.expiring), date: formatDateTime(l.points.expiring_at, i18n.language) })}
          </p>
        )}
        <p>
          {l.tier.name ? t('portal.rewards.tier', { tier: l.tier.name }) : t('portal.rewards.noTier')}
          {l.tier.next_name && l.tier.to_next != null && <> · {t('portal.rewards.toNext', { points: num.format(l.tier.to_next), tier: l.tier.next_name })}</>}
        </p>
      </Card>
      {voucher && (
        <Card title={t('portal.rewards.voucherTitle', { reward: voucher.reward })}>
          <p role="status">
            {t('portal.rewards.voucher')} <strong data-testid="voucher">{voucher.voucher_code}</strong>
          </p>
          <p className="muted">{t('portal.rewards.voucherUntil', { date: formatDateTime(voucher.expires_at, i18n.language) })}</p>
        </Card>
      )}
      <Card title={t('portal.rewards.catalogue')}>
        {!l.rewards.length ? (
          <Empty>{t('portal.rewards.none')}</Empty>
        ) : (
          <ul className="portal-rewards">
            {l.rewards.map((r) => (
              <li key={`${r.id}:${r.offer_id ?? ''}`}>
                <div>
                  <strong>{r.name}</strong>
                  {r.description && <p className="muted">{r.description}</p>}
                </div>
                <div className="row" style={{ alignItems: 'center' }}>
                  <span>{t('portal.rewards.cost', { points: num.format(r.cost_points) })}</span>
                  <Button
                    variant="primary"
                    disabled={!r.is_affordable || redeem.isPending}
                    aria-label={t('portal.rewards.redeemLabel', { reward: r.name })}
                    onClick={() => {
                      if (window.confirm(t('portal.rewards.confirm', { reward: r.name, points: num.format(r.cost_points) }))) redeem.mutate(r);
                    }}
                  >
                    {!r.in_stock ? t('portal.rewards.soldOut') : t('portal.rewards.redeem')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
        <ErrorNote error={redeem.error} />
      </Card>
      <MyVouchers />
      <PointsHistory />
    </>
  );
}

/** Every voucher the customer's redemptions issued, so a code shown once is never lost. */
function MyVouchers() {
  const { t, i18n } = useTranslation();
  const vouchers = useQuery({ queryKey: ['portal-vouchers'], queryFn: () => listVouchers() });
  const tone = { issued: 'good', used: 'neutral', cancelled: 'neutral', expired: 'warn' } as const;
  return (
    <Card title={t('portal.rewards.vouchers')}>
      <QueryState query={vouchers} isEmpty={(d) => !d.data.length} empty={t('portal.rewards.noVouchers')}>
        {(d) => (
          <table className="portal-table">
            <thead>
              <tr>
                <th>{t('portal.rewards.reward')}</th>
                <th>{t('portal.rewards.code')}</th>
                <th>{t('portal.rewards.status')}</th>
                <th>{t('portal.rewards.expires')}</th>
              </tr>
            </thead>
            <tbody>
              {d.data.map((v) => (
                <tr key={v.redemption_id} data-voucher={v.code} data-status={v.status}>
                  <td>{v.reward_name}</td>
                  <td>
                    <code>{v.code}</code>
                  </td>
                  <td>
                    <Badge tone={tone[v.status]}>{t(`portal.rewards.voucherStatus.${v.status}`)}</Badge>
                  </td>
                  <td>{formatDateTime(v.expires_at, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </Card>
  );
}

/** Where the points came from and went: earned, pending, spent and expired, each with its reason. */
function PointsHistory() {
  const { t, i18n } = useTranslation();
  const history = useQuery({ queryKey: ['portal-points'], queryFn: () => listPoints() });
  const num = new Intl.NumberFormat(i18n.language, { signDisplay: 'exceptZero' });
  // engagement:survey reads as "Taking part (survey)"; unknown reasons show as the ledger wrote them.
  const reason = (r: string) => {
    const [head, detail] = r.split(':');
    const name = t(`portal.rewards.reasons.${head}`, { defaultValue: head });
    return detail ? `${name} (${detail})` : name;
  };
  return (
    <Card title={t('portal.rewards.historyTitle')}>
      <QueryState query={history} isEmpty={(d) => !d.data.length} empty={t('portal.rewards.noHistory')}>
        {(d) => (
          <table className="portal-table">
            <thead>
              <tr>
                <th>{t('portal.rewards.when')}</th>
                <th>{t('portal.rewards.what')}</th>
                <th>{t('portal.rewards.change')}</th>
              </tr>
            </thead>
            <tbody>
              {d.data.map((l) => (
                <tr key={l.transaction_id} data-movement={l.movement}>
                  <td>{formatDateTime(l.at, i18n.language)}</td>
                  <td>
                    <strong>{t(`portal.rewards.movement.${l.movement}`, { defaultValue: l.movement })}</strong> · {reason(l.reason)}
                  </td>
                  <td>
                    {l.points !== 0 && num.format(l.points)}
                    {l.pending !== 0 && <span className="muted"> {t('portal.rewards.pendingPoints', { points: num.format(l.pending) })}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </Card>
  );
}
