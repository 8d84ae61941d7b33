// A new campaign: a template sent to a segment, its messages scheduled at once or later.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, Problems, SelectField, TextField } from '../../../shared/ui.js';
import { useSegments, useTemplates } from './outreach-data.js';
import { createCampaign, planCampaign } from '../../api/outreach.js';
import { campaignsKey } from './campaigns.js';

export function NewCampaign() {
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
