// Campaigns: the list with status and plan counts, a form that sends a template to a segment (and
// schedules its messages at once or later), each campaign's plan and delivery figures, and the
// segments campaigns are aimed at.

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Problems, QueryState, Table, formatDateTime, formatNumber } from '../../../shared/ui.js';
import { useWord } from '../../../shared/words.js';
import { useSegments, useTemplates, type Campaign } from './outreach-data.js';
import { getCampaign, listCampaigns, planCampaign } from '../../api/outreach.js';
import { NewCampaign } from './new-campaign.js';
import { Segments } from './segments.js';

const REACHED = new Set(['delivered', 'opened', 'clicked', 'complained', 'unsubscribed']);
export const campaignsKey = ['outreach-campaigns'];

export function CampaignsTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const campaigns = useQuery({ queryKey: campaignsKey, queryFn: () => listCampaigns() });
  const templates = useTemplates();
  const segments = useSegments();
  const [shown, setShown] = useState<string | null>(null);
  const plan = useMutation({ mutationFn: (id: string) => planCampaign(id), onSettled: () => qc.invalidateQueries({ queryKey: campaignsKey }) });
  const nameOf = (list: { id: string; name: string }[] | undefined, id: string) => list?.find((x) => x.id === id)?.name ?? id;
  const current = campaigns.data?.data.find((c) => c.id === shown);
  return (
    <>
      <Card title={t('outreach.campaigns')}>
        <QueryState query={campaigns} isEmpty={(d) => d.data.length === 0} empty={t('outreach.noCampaigns')}>
          {(d) => (
            <Table
              head={[
                t('outreach.name'),
                t('outreach.status'),
                t('outreach.segment'),
                t('outreach.template'),
                t('outreach.stat.segment'),
                t('outreach.stat.queued'),
                t('outreach.stat.suppressed'),
                t('outreach.planned'),
                <span key="actions" className="visually-hidden">
                  {t('common.actions')}
                </span>,
              ]}
            >
              {d.data.map((c) => (
                <tr key={c.id} data-campaign={c.name} data-status={c.status}>
                  <td>{c.name}</td>
                  <td>
                    <Badge tone={c.status === 'planned' ? 'good' : c.status === 'draft' ? 'neutral' : 'info'}>
                      {t(`outreach.campaignStatus.${c.status}`, { defaultValue: c.status })}
                    </Badge>
                  </td>
                  <td>{nameOf(segments.data?.data, c.segment_id)}</td>
                  <td>{nameOf(templates.data?.data, c.template_id)}</td>
                  <td data-stat="segment">{c.stats.segment ?? '—'}</td>
                  <td data-stat="queued">{c.stats.queued ?? '—'}</td>
                  <td data-stat="suppressed">{c.stats.suppressed ?? '—'}</td>
                  <td>{formatDateTime(c.planned_at, i18n.language)}</td>
                  <td className="row-inline">
                    {c.status === 'draft' && (
                      <Button busy={plan.isPending && plan.variables === c.id} onClick={() => plan.mutate(c.id)}>
                        {t('outreach.plan')}
                      </Button>
                    )}
                    <Button variant="ghost" aria-expanded={shown === c.id} onClick={() => setShown(shown === c.id ? null : c.id)}>
                      {shown === c.id ? t('outreach.hide') : t('outreach.details', { name: c.name })}
                    </Button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
        <Problems error={plan.error} />
      </Card>
      {current && <Figures campaign={current} />}
      <div className="grid">
        <NewCampaign />
        <Segments />
      </div>
    </>
  );
}

function Figures({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation();
  // The campaign's messages counted by status as they stand, all of them.
  const detail = useQuery({
    queryKey: ['outreach-campaign', campaign.id, campaign.status],
    queryFn: () => getCampaign(campaign.id),
  });
  const word = useWord();
  const n = (v: number | undefined) => formatNumber(v ?? 0, i18n.language);
  const s = campaign.stats;
  // Messages dropped (no channel, over a cap) and skipped (a required variable without a value) were all not sent.
  const notSent = Object.entries({ ...s.dropped, ...s.skipped });
  // "no_channel: email no_consent, sms no_address" names each channel's own reason; "missing_variables: flight, gate" the variables.
  const reason = (r: string) => {
    const [code, detail] = r.split(/: (.*)/s);
    const name = word('outreach.reason', code, true);
    if (!detail) return name;
    if (code === 'missing_variables') return `${name} (${detail})`;
    const parts = detail.split(', ').map((p) => {
      const [ch, why] = p.split(' ');
      return why ? `${t(`channel.${ch}`, { defaultValue: ch })}: ${word('outreach.reason', why, true)}` : p;
    });
    return `${name} (${parts.join('; ')})`;
  };
  const delivery = Object.entries(detail.data?.delivery ?? {});
  // A message that was delivered and then opened, clicked or answered with a complaint or an unsubscribe
  // reached the customer: its latest status is the later one.
  const reached = delivery.reduce((sum, [status, v]) => sum + (REACHED.has(status) ? v : 0), 0);
  return (
    <Card title={t('outreach.details', { name: campaign.name })}>
      <h3>{t('outreach.planFigures')}</h3>
      <div className="stat-row">
        {(['segment', 'queued', 'deferred', 'suppressed'] as const).map((k) => (
          <div key={k} className="stat">
            <div className="stat-label">{t(`outreach.stat.${k}`)}</div>
            <div className="stat-value" data-plan={k}>
              {n(s[k])}
            </div>
          </div>
        ))}
      </div>
      {Object.keys(s.by_channel ?? {}).length > 0 && (
        <p>
          {t('outreach.byChannel')}:{' '}
          {Object.entries(s.by_channel!)
            .map(([ch, v]) => `${t(`channel.${ch}`, { defaultValue: ch })} ${n(v)}`)
            .join(' · ')}
        </p>
      )}
      {notSent.length > 0 && (
        <p data-not-sent>
          {t('outreach.dropped')}: {notSent.map(([why, v]) => `${reason(why)} ${n(v)}`).join(' · ')}
        </p>
      )}
      <h3>{t('outreach.deliveryFigures')}</h3>
      <QueryState query={detail} isEmpty={() => delivery.length === 0} empty={t('outreach.noMessages')}>
        {() => (
          <div className="stat-row">
            <div className="stat">
              <div className="stat-label">{t('outreach.reached')}</div>
              <div className="stat-value" data-delivery="reached">
                {n(reached)}
              </div>
            </div>
            {delivery.map(([status, v]) => (
              <div key={status} className="stat">
                <div className="stat-label">{t(`outreach.msgStatus.${status}`, { defaultValue: status })}</div>
                <div className="stat-value" data-delivery={status}>
                  {n(v)}
                </div>
              </div>
            ))}
          </div>
        )}
      </QueryState>
      {delivery.length > 0 && <p className="muted">{t('outreach.latestStatusNote')}</p>}
    </Card>
  );
}
