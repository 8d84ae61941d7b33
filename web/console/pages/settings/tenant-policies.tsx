// The tenant's policies: each settings area (/v1/settings/{area}) as a card that PATCHes only the
// fields changed on it, and shows the API's message beside a field it refuses.
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, ErrorNote, Loading, TextField } from '../../../shared/ui.js';
import { getSettings, patchSettings, type AreaName, type SettingsAreas } from '../../api/settings.js';

const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const satisfies readonly (keyof SettingsAreas['loop']['sla'])[];

const numberOrNull = (v: string) => (v.trim() === '' ? null : Number(v));

export function TenantPolicies() {
  const { t } = useTranslation();
  const areas = useQuery({ queryKey: ['tenant-settings'], queryFn: () => getSettings() });
  if (areas.isPending) return <Loading />;
  if (areas.error) return <ErrorNote error={areas.error} />;
  const a = areas.data.data;
  return (
    <>
      <p className="muted">{t('tenantSettings.explain')}</p>
      <Area name="feedback" title={t('tenantSettings.feedback')} initial={a.feedback}>
        {(v, set, err) => (
          <TextField
            label={t('tenantSettings.throttleDays')}
            type="number"
            min={0}
            value={v.throttle_days ?? ''}
            onChange={(e) => set({ throttle_days: numberOrNull(e.target.value) })}
            error={err('throttle_days')}
            hint={t('tenantSettings.throttleHint')}
          />
        )}
      </Area>
      <Area name="customer_value" title={t('tenantSettings.customerValue')} initial={a.customer_value}>
        {(v, set, err) => (
          <div className="row">
            <TextField
              label={t('tenantSettings.corePercent')}
              type="number"
              step="0.1"
              value={v.core_percent}
              onChange={(e) => set({ core_percent: Number(e.target.value) })}
              error={err('core_percent')}
            />
            <TextField
              label={t('tenantSettings.lifespanYears')}
              type="number"
              step="0.25"
              value={v.lifespan_years}
              onChange={(e) => set({ lifespan_years: Number(e.target.value) })}
              error={err('lifespan_years')}
            />
          </div>
        )}
      </Area>
      <Area name="identity_resolution" title={t('tenantSettings.identity')} initial={a.identity_resolution}>
        {(v, set) => <Checkbox label={t('tenantSettings.autoMerge')} checked={v.auto_merge} onChange={(e) => set({ auto_merge: e.target.checked })} />}
      </Area>
      <Area name="loop" title={t('tenantSettings.loop')} initial={a.loop}>
        {(v, set, err) => (
          <>
            {PRIORITIES.map((p) => (
              <div className="row" key={p}>
                <TextField
                  label={`${t(`tenantSettings.priority.${p}`)} · ${t('tenantSettings.firstContact')}`}
                  type="number"
                  min={1}
                  value={v.sla[p].first_contact_minutes}
                  onChange={(e) => set({ sla: { ...v.sla, [p]: { ...v.sla[p], first_contact_minutes: Number(e.target.value) } } })}
                  error={err(`sla.${p}.first_contact_minutes`)}
                />
                <TextField
                  label={`${t(`tenantSettings.priority.${p}`)} · ${t('tenantSettings.resolve')}`}
                  type="number"
                  min={1}
                  value={v.sla[p].resolve_hours}
                  onChange={(e) => set({ sla: { ...v.sla, [p]: { ...v.sla[p], resolve_hours: Number(e.target.value) } } })}
                  error={err(`sla.${p}.resolve_hours`)}
                />
              </div>
            ))}
            <TextField
              label={t('tenantSettings.highValueClv')}
              type="number"
              min={0}
              value={v.high_value_clv ?? ''}
              onChange={(e) => set({ high_value_clv: numberOrNull(e.target.value) })}
              error={err('high_value_clv')}
              hint={t('tenantSettings.highValueHint')}
            />
          </>
        )}
      </Area>
      <Area name="outreach" title={t('tenantSettings.outreach')} initial={a.outreach}>
        {(v, set, err) => (
          <ListField
            label={t('tenantSettings.suppress')}
            value={v.suppress_case_types}
            onChange={(list) => set({ suppress_case_types: list })}
            error={err('suppress_case_types')}
          />
        )}
      </Area>
    </>
  );
}

/**
 * A comma-separated list: the text stays as typed (a comma just typed, the space after it) and the list
 * it names is what is saved. Rebuilding the text from the list at every key would eat each comma.
 */
function ListField({ label, value, onChange, error }: { label: string; value: string[]; onChange: (list: string[]) => void; error?: string }) {
  const [text, setText] = useState(value.join(', '));
  return (
    <TextField
      label={label}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(
          e.target.value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
      }}
      error={error}
    />
  );
}

/** One area's card: edits are kept locally, and Save sends only the fields that differ from what was loaded. */
function Area<A extends AreaName>({
  name,
  title,
  initial,
  children,
}: {
  name: A;
  title: string;
  initial: SettingsAreas[A];
  children: (values: SettingsAreas[A], set: (change: Partial<SettingsAreas[A]>) => void, error: (field: string) => string | undefined) => ReactNode;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [edits, setEdits] = useState<Partial<SettingsAreas[A]>>({});
  const values = { ...initial, ...edits };
  const save = useMutation({
    mutationFn: () => patchSettings(name, edits),
    onSuccess: () => {
      setEdits({});
      void qc.invalidateQueries({ queryKey: ['tenant-settings'] });
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const fieldError = (field: string) => err?.fields.find((f) => f.field === field || f.field.startsWith(`${field}.`))?.message;
  return (
    <Card title={title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {children(values, (change) => setEdits({ ...edits, ...change }), fieldError)}
        {err && !err.fields.length && <ErrorNote error={err} />}
        <div className="row">
          <Button variant="primary" type="submit" busy={save.isPending} disabled={!Object.keys(edits).length}>
            {t('tenantSettings.save')}
          </Button>
          {save.isSuccess && !Object.keys(edits).length && (
            <span role="status" className="muted">
              {t('tenantSettings.saved')}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}
