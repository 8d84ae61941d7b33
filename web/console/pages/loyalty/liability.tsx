// The finance view: points issued, redeemed, expired and outstanding, their value owed, breakage, by cohort and by tier.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Card, QueryState, formatMoney, formatNumber } from '../../../shared/ui.js';
import { getLiability } from '../../api/loyalty.js';
import { useTierNames } from '../../use-tier-names.js';

export function Liability() {
  const { t, i18n } = useTranslation();
  const r = useQuery({ queryKey: ['liability'], queryFn: () => getLiability() });
  const tiers = useTierNames();
  // The report's figures are in the programme's base currency, whatever it is.
  const moneyIn = (currency: string) => (n: number) => formatMoney(n, currency, i18n.language);
  const num = (n: number) => formatNumber(n, i18n.language);
  return (
    <Card title={t('loyalty.liability')}>
      <QueryState query={r}>
        {(d) => {
          const money = moneyIn(d.base_currency);
          return (
            <>
              <div className="stat-row">
                <div className="stat">
                  <div className="stat-label">{t('loyalty.outstanding')}</div>
                  <div className="stat-value" data-outstanding={d.points_outstanding}>
                    {formatNumber(d.points_outstanding, i18n.language)}
                  </div>
                </div>
                <div className="stat">
                  <div className="stat-label">{t('loyalty.liabilityValue')}</div>
                  <div className="stat-value">{money(d.outstanding_liability)}</div>
                </div>
                <div className="stat">
                  <div className="stat-label">{t('loyalty.breakage')}</div>
                  <div className="stat-value">{money(d.breakage_recognised)}</div>
                </div>
                <div className="stat">
                  <div className="stat-label">{t('loyalty.members')}</div>
                  <div className="stat-value">{num(d.members)}</div>
                </div>
                <div className="stat">
                  <div className="stat-label">{t('loyalty.redemptionRate')}</div>
                  <div className="stat-value">{formatNumber(d.expected_redemption_rate, i18n.language, { style: 'percent' })}</div>
                </div>
              </div>
              {d.cohorts.length > 0 && (
                <>
                  <h3>{t('loyalty.cohorts')}</h3>
                  <div className="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th>{t('loyalty.cohort')}</th>
                          <th>{t('loyalty.issued')}</th>
                          <th>{t('loyalty.redeemed')}</th>
                          <th>{t('loyalty.expired')}</th>
                          <th>{t('loyalty.outstanding')}</th>
                          <th>{t('loyalty.liabilityValue')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.cohorts.map((c) => (
                          <tr key={c.cohort}>
                            <td>{c.cohort}</td>
                            <td>{num(c.issued)}</td>
                            <td>{num(c.redeemed)}</td>
                            <td>{num(c.expired)}</td>
                            <td>{num(c.outstanding)}</td>
                            <td>{money(c.liability)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
              {d.tiers.length > 0 && (
                <>
                  <h3>{t('loyalty.tierCosts')}</h3>
                  <div className="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th>{t('loyalty.tier')}</th>
                          <th>{t('loyalty.members')}</th>
                          <th>{t('loyalty.issued')}</th>
                          <th>{t('loyalty.redeemed')}</th>
                          <th>{t('loyalty.costPerMember')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {[...d.tiers]
                          .sort((a, b) => tiers.rank(a.tier) - tiers.rank(b.tier))
                          .map((x) => (
                            <tr key={x.tier ?? ''} data-tier={x.tier ?? ''}>
                              <td>{x.tier === null ? t('customer.points.noTier') : tiers.name(x.tier)}</td>
                              <td>{num(x.members)}</td>
                              <td>{num(x.points_issued)}</td>
                              <td>{num(x.points_redeemed)}</td>
                              <td>{money(x.cost_per_member)}</td>
                            </tr>
                          ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </>
          );
        }}
      </QueryState>
    </Card>
  );
}
