// The template editor: name, purpose, variables, and the email and SMS content in English and Chinese.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Problems, SelectField, TextArea, TextField } from '../../../shared/ui.js';
import { PURPOSES, type Purpose, type Template } from './outreach-data.js';
import { saveTemplate } from '../../api/outreach.js';
import { type Draft, type Form, LOCALES, type Locale, contentOf, formOf, variablesOf } from './template-form.js';

export function Editor({ template, onSaved }: { template?: Template; onSaved: (t: Template) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(template));
  const setDraft = (loc: Locale, d: Partial<Draft>) => setForm({ ...form, byLocale: { ...form.byLocale, [loc]: { ...form.byLocale[loc], ...d } } });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name,
        purpose: form.purpose,
        default_locale: form.default_locale,
        variables: variablesOf(form.variables),
        content: contentOf(form, template?.content),
      };
      return saveTemplate(template?.id, body);
    },
    onSuccess: (r) => {
      // The saved template goes into the list at once, so its editor reopens without waiting for a refetch.
      qc.setQueryData<{ data: Template[] }>(['outreach-templates'], (old) => old && { data: [r, ...old.data.filter((x) => x.id !== r.id)] });
      void qc.invalidateQueries({ queryKey: ['outreach-templates'] });
      onSaved(r);
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  // Channels and languages this editor does not show are saved back untouched; saying so avoids surprise.
  const others = Object.entries(template?.content ?? {}).flatMap(([loc, c]) =>
    Object.keys(c)
      .filter((ch) => !(LOCALES as readonly string[]).includes(loc) || (ch !== 'email' && ch !== 'sms'))
      .map((ch) => `${loc} ${ch}`),
  );
  return (
    <Card title={template ? t('outreach.editTemplate', { name: template.name }) : t('outreach.newTemplate')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="row">
          <TextField
            label={t('outreach.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={err?.fieldMessage('name')}
          />
          <SelectField
            label={t('outreach.purpose')}
            value={form.purpose}
            onChange={(e) => setForm({ ...form, purpose: e.target.value as Purpose })}
            options={PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}`) }))}
          />
          <SelectField
            label={t('outreach.defaultLocale')}
            value={form.default_locale}
            onChange={(e) => setForm({ ...form, default_locale: e.target.value as Locale })}
            options={LOCALES.map((l) => ({ value: l, label: t(`outreach.locale.${l}`) }))}
            error={err?.fieldMessage('default_locale')}
          />
        </div>
        <TextField
          label={t('outreach.variables')}
          value={form.variables}
          onChange={(e) => setForm({ ...form, variables: e.target.value })}
          hint={t('outreach.variablesHint')}
          error={err?.fields.find((x) => x.field.startsWith('variables'))?.message}
        />
        <p className="muted">{t('outreach.icuHint')}</p>
        <div className="grid">
          {LOCALES.map((loc) => {
            const d = form.byLocale[loc];
            const problem = (f: string) => err?.fieldMessage(`content.${loc}.${f}`);
            const whole = err?.fieldMessage(`content.${loc}`) ?? problem('email') ?? problem('sms');
            return (
              <fieldset key={loc} className="question" data-locale={loc}>
                <legend>{t('outreach.inLanguage', { language: t(`outreach.locale.${loc}`) })}</legend>
                {whole && <small className="field-error">{whole}</small>}
                <TextField
                  label={t('outreach.subject')}
                  value={d.subject}
                  onChange={(e) => setDraft(loc, { subject: e.target.value })}
                  error={problem('email.subject')}
                />
                <TextArea label={t('outreach.body')} rows={5} value={d.text} onChange={(v) => setDraft(loc, { text: v })} error={problem('email.text')} />
                <TextArea
                  label={t('outreach.html')}
                  rows={3}
                  hint={t('outreach.htmlHint')}
                  value={d.html}
                  onChange={(v) => setDraft(loc, { html: v })}
                  error={problem('email.html')}
                />
                <TextArea label={t('outreach.sms')} rows={2} value={d.sms} onChange={(v) => setDraft(loc, { sms: v })} error={problem('sms.text')} />
              </fieldset>
            );
          })}
        </div>
        {others.length > 0 && <p className="muted">{t('outreach.otherContent', { list: others.join(', ') })}</p>}
        <Problems error={save.error} />
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!form.name.trim()}>
          {t('outreach.saveTemplate')}
        </Button>
      </form>
    </Card>
  );
}
