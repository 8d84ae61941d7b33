// Campaigns: the list with status and plan counts, a form that sends a template to a segment (and
// schedules its messages at once or later), each campaign's plan and delivery figures, and the
// segments campaigns are aimed at.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Empty,
  ErrorNote,
  Loading,
  Problems,
  SelectField,
  Table,
  TextArea,
  TextField,
  formatDateTime,
  formatNumber,
} from '../../../shared/ui.js';
import { useSegments, useTemplates, type Campaign } from './outreach-data.js';
import { countSegment, createCampaign, createSegment, getCampaign, listCampaigns, planCampaign } from '../../api/outreach.js';

const campaignsKey = ['outreach-campaigns'];

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
        {campaigns.isPending ? (
          <Loading />
        ) : campaigns.error ? (
          <ErrorNote error={campaigns.error} />
        ) : campaigns.data.data.length === 0 ? (
          <Empty>{t('outreach.noCampaigns')}</Empty>
        ) : (
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
            {campaigns.data.data.map((c) => (
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
  const n = (v: number | undefined) => formatNumber(v ?? 0, i18n.language);
  const s = campaign.stats;
  const delivery = Object.entries(detail.data?.delivery ?? {});
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
      {Object.keys(s.dropped ?? {}).length > 0 && (
        <p>
          {t('outreach.dropped')}:{' '}
          {Object.entries(s.dropped!)
            .map(([why, v]) => `${why} ${n(v)}`)
            .join(' · ')}
        </p>
      )}
      <h3>{t('outreach.deliveryFigures')}</h3>
      {detail.isPending ? (
        <Loading />
      ) : detail.error ? (
        <ErrorNote error={detail.error} />
      ) : delivery.length === 0 ? (
        <Empty>{t('outreach.noMessages')}</Empty>
      ) : (
        <div className="stat-row">
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
    </Card>
  );
}

function NewCampaign() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const templates = useTemplates();
  const segments = useSegments();
  const [form, setForm] = useState({ name: '', segment_id: '', template_id: '', planNow: true });
  const create = useMutation({
    mutationFn: async () => {
      const { id } = await createCampaign({ name: form.name, segment_id: form.segment_id, template_id: form.template_id });
      if (form.planNow) await planCampaign(id);
      return id;
    },
    onSuccess: () => setForm({ name: '', segment_id: '', template_id: '', planNow: form.planNow }),
    // A campaign made but not scheduled (its plan refused) is still listed, as a draft.
    onSettled: () => qc.invalidateQueries({ queryKey: campaignsKey }),
  });
  const err = create.error instanceof ApiError ? create.error : undefined;
  const choose = (label: string) => [{ value: '', label }];
  // Problems with the fields this form shows are told beside them; any other is listed below it.
  const beside = ['name', 'segment_id', 'template_id'];
  return (
    <Card title={t('outreach.newCampaign')}>
      {segments.data?.data.length === 0 && <p className="muted">{t('outreach.noSegments')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextField
          label={t('outreach.name')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={err?.fieldMessage('name')}
        />
        <SelectField
          label={t('outreach.segment')}
          value={form.segment_id}
          onChange={(e) => setForm({ ...form, segment_id: e.target.value })}
          error={err?.fieldMessage('segment_id')}
          options={[...choose('—'), ...(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
        />
        <SelectField
          label={t('outreach.template')}
          value={form.template_id}
          onChange={(e) => setForm({ ...form, template_id: e.target.value })}
          error={err?.fieldMessage('template_id')}
          options={[...choose('—'), ...(templates.data?.data ?? []).map((x) => ({ value: x.id, label: `${x.name} (${t(`purpose.${x.purpose}`)})` }))]}
        />
        <Checkbox label={t('outreach.planNow')} checked={form.planNow} onChange={(e) => setForm({ ...form, planNow: e.target.checked })} />
        <p className="field-hint">{t('outreach.planHint')}</p>
        {(!err?.fields.length || !err.fields.every((f) => beside.some((n) => err.fieldMessage(n) === f.message))) && <Problems error={create.error} />}
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!form.name.trim() || !form.segment_id || !form.template_id}>
          {t('outreach.createCampaign')}
        </Button>
        {create.isSuccess && (
          <p className="notice" role="status">
            {t('outreach.campaignCreated')}
          </p>
        )}
      </form>
    </Card>
  );
}

function Segments() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const segments = useSegments();
  const [name, setName] = useState('');
  const [raw, setRaw] = useState('{"field": "value.is_core", "op": "eq", "value": true}');
  let rules: unknown;
  try {
    rules = JSON.parse(raw);
  } catch {
    rules = undefined;
  }
  const count = useMutation({ mutationFn: () => countSegment(rules) });
  const create = useMutation({
    mutationFn: () => createSegment(name, rules),
    onSuccess: () => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['outreach-segments'] });
    },
  });
  return (
    <Card title={t('outreach.segments')}>
      {segments.isPending ? (
        <Loading />
      ) : segments.error ? (
        <ErrorNote error={segments.error} />
      ) : segments.data.data.length === 0 ? (
        <Empty>{t('outreach.noSegments')}</Empty>
      ) : (
        <ul className="plain">
          {segments.data.data.map((s) => (
            <li key={s.id} data-segment={s.name}>
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('outreach.newSegment')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextField label={t('outreach.name')} value={name} onChange={(e) => setName(e.target.value)} />
        <TextArea
          label={t('outreach.rules')}
          rows={4}
          hint={t('outreach.rulesHint')}
          value={raw}
          onChange={(v) => {
            setRaw(v);
            count.reset();
          }}
          error={rules === undefined ? t('outreach.badJson') : undefined}
        />
        <Problems error={count.error ?? create.error} />
        {count.data && (
          <p role="status" data-count={count.data.count}>
            {t('outreach.counted', { count: count.data.count })}
          </p>
        )}
        <div className="row-inline">
          <Button busy={count.isPending} disabled={rules === undefined} onClick={() => count.mutate()}>
            {t('outreach.count')}
          </Button>
          <Button type="submit" variant="primary" busy={create.isPending} disabled={rules === undefined || !name.trim()}>
            {t('outreach.createSegment')}
          </Button>
        </div>
        {create.isSuccess && (
          <p className="notice" role="status">
            {t('outreach.segmentCreated')}
          </p>
        )}
      </form>
    </Card>
  );
}
