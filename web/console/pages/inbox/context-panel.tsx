// The customer beside the conversation: who they are, their value, open cases, last feedback, tier.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../../shared/api.js';
import { Badge, QueryState, formatDateTime, formatMoney, formatNumber } from '../../../shared/ui.js';
import { useCaseWords } from '../cases/case-words.js';
import { getContext } from '../../api/inbox.js';
import { customerName } from '../../../shared/customer-name.js';
import { useTierNames } from '../../use-tier-names.js';

export function ContextPanel({ conversationId, customerId }: { conversationId: string; customerId: string }) {
  const { t, i18n } = useTranslation();
  const words = useCaseWords();
  const ctx = useQuery({ queryKey: ['conversation', conversationId, 'context'], queryFn: () => getContext(conversationId) });
  const balance = useQuery({
    queryKey: ['balance', customerId],
    queryFn: () => get<{ available: number; tier: string | null }>(`/v1/loyalty/customers/${customerId}/balance`),
    retry: false,
  });
  const tiers = useTierNames();
  const d = ctx.data;
  const tier = balance.data?.tier ?? d?.loyalty_tier;
  const current = useMemo(() => {
    const m = new Map<string, { channel: string; purpose: string; status: string }>();
    for (const r of d?.consent ?? []) m.set(`${r.channel}/${r.purpose}`, r);
    return [...m.values()];
  }, [d]);
  return (
    <aside className="inbox-context card" aria-labelledby="ctx-h">
      <h2 id="ctx-h">{t('inbox.context')}</h2>
      <QueryState query={ctx}>
        {() =>
          d && (
            <>
              <h3 className="ctx-name">{customerName(d.customer, i18n.language) ?? t('inbox.unknownCustomer')}</h3>
              {d.customer?.value?.is_core && <Badge tone="info">{t('inbox.core')}</Badge>}
              <dl className="kv">
                {(d.customer?.identities ?? []).slice(0, 4).map((i) => (
                  <FragmentKV key={`${i.kind}:${i.value}`} k={t(`identity.${i.kind}`, { defaultValue: i.kind })} v={i.value} />
                ))}
                <FragmentKV k={t('inbox.tier')} v={tier ? tiers.name(tier) : '—'} />
                <FragmentKV k={t('inbox.points')} v={balance.data ? formatNumber(balance.data.available, i18n.language) : '—'} />
                {d.customer?.value?.clv != null && <FragmentKV k={t('inbox.clv')} v={formatMoney(d.customer.value.clv, 'CNY', i18n.language)} />}
                <FragmentKV
                  k={t('inbox.channels')}
                  v={(d.preferences?.channels ?? []).map((c) => t(`channel.${c}`, { defaultValue: c })).join(', ') || t('inbox.noPreference')}
                />
                <FragmentKV k={t('inbox.language')} v={d.preferences?.language ?? d.customer?.locale ?? '—'} />
              </dl>
              {d.hints.length > 0 && (
                <>
                  <h3>{t('inbox.hints')}</h3>
                  <ul className="hints">
                    {d.hints.map((h) => (
                      <li key={h.code} data-hint={h.code}>
                        {t(`inbox.hint.${h.code}`, { defaultValue: h.message, tier: d.loyalty_tier ? tiers.name(d.loyalty_tier) : '' })}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <h3>{t('inbox.consent')}</h3>
              {current.length === 0 ? (
                <p className="muted">—</p>
              ) : (
                <ul className="plain">
                  {current.map((r) => (
                    <li key={`${r.channel}/${r.purpose}`}>
                      {t(`purpose.${r.purpose}`, { defaultValue: r.purpose })} · {t(`channel.${r.channel}`, { defaultValue: r.channel })}:{' '}
                      <Badge tone={r.status === 'granted' ? 'good' : 'bad'}>{t(`consent.${r.status}`, { defaultValue: r.status })}</Badge>
                    </li>
                  ))}
                </ul>
              )}
              <h3>{t('inbox.openCases')}</h3>
              {d.open_cases.length === 0 ? (
                <p className="muted">{t('inbox.noCases')}</p>
              ) : (
                <ul className="plain">
                  {d.open_cases.map((c) => (
                    <li key={c.id}>
                      <Link to={`/cases?case=${c.id}`}>{words.caseType(c.type)}</Link>
                    </li>
                  ))}
                </ul>
              )}
              <h3>{t('inbox.lastFeedback')}</h3>
              {d.last_feedback ? (
                <p>
                  {d.last_feedback.kind?.toUpperCase()} {d.last_feedback.score} {d.last_feedback.text ? `· ${d.last_feedback.text}` : ''}
                </p>
              ) : (
                <p className="muted">{t('inbox.noFeedback')}</p>
              )}
              <h3>{t('inbox.timeline')}</h3>
              <ol className="plain timeline">
                {d.recent_timeline.slice(0, 8).map((e) => (
                  <li key={e.id}>
                    <strong>{t(`eventType.${e.type}`, { defaultValue: e.type })}</strong>
                    <div className="when">{formatDateTime(e.occurred_at, i18n.language)}</div>
                  </li>
                ))}
              </ol>
              {d.customer && <Link to={`/customers/${d.customer.id}`}>{t('inbox.openProfile')}</Link>}
            </>
          )
        }
      </QueryState>
    </aside>
  );
}

function FragmentKV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}
