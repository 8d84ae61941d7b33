// Templates: the list, an editor for the email subject and body and the SMS text in English and
// Chinese (other channels and languages a template holds are kept as saved), and a preview that
// renders the saved template for one customer.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Badge, Button, Card, Empty, ErrorNote, Loading, Problems, SelectField, Table, TextArea, TextField, formatDateTime } from '../../../shared/ui.js';
import { PURPOSES, useTemplates, type LocaleContent, type Purpose, type Template } from './outreach-data.js';
import { previewTemplate, saveTemplate } from '../../api/outreach.js';

const LOCALES = ['en', 'zh-CN'] as const;
type Locale = (typeof LOCALES)[number];
interface Draft {
  subject: string;
  text: string;
  html: string;
  sms: string;
}
interface Form {
  name: string;
  purpose: Purpose;
  default_locale: Locale;
  variables: string;
  byLocale: Record<Locale, Draft>;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Email needs an HTML part; one written from the text keeps paragraphs and line breaks (ICU braces pass through). */
const htmlFromText = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

function formOf(tpl: Template | undefined): Form {
  const draft = (c: LocaleContent | undefined): Draft => ({
    subject: c?.email?.subject ?? '',
    text: c?.email?.text ?? '',
    html: c?.email?.html ?? '',
    sms: c?.sms?.text ?? '',
  });
  return {
    name: tpl?.name ?? '',
    purpose: tpl?.purpose ?? 'marketing',
    default_locale: tpl?.default_locale === 'en' ? 'en' : 'zh-CN',
    variables: (tpl?.variables ?? []).map((v) => (v.required ? v.name : `${v.name}?`)).join(', '),
    byLocale: { en: draft(tpl?.content.en), 'zh-CN': draft(tpl?.content['zh-CN']) },
  };
}

/** "flight, gate?" -> the declared variables, an optional one marked by its question mark. */
const variablesOf = (list: string) =>
  list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => (x.endsWith('?') ? { name: x.slice(0, -1).trim(), required: false } : { name: x, required: true }));

/** The content to save: the edited email and SMS parts over whatever else the template already held. */
function contentOf(form: Form, saved: Template['content'] = {}): Template['content'] {
  const content = { ...saved };
  for (const loc of LOCALES) {
    const d = form.byLocale[loc];
    const { email: _e, sms: _s, ...rest } = saved[loc] ?? {};
    const next: LocaleContent = { ...rest };
    if (d.subject || d.text || d.html) next.email = { subject: d.subject, text: d.text, html: d.html || htmlFromText(d.text) };
    if (d.sms) next.sms = { text: d.sms };
    if (Object.keys(next).length) content[loc] = next;
    else delete content[loc];
  }
  return content;
}

export function TemplatesTab() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('template');
  const templates = useTemplates();
  // The editor is remounted on the saved template's own key after a save, so the notice lives here.
  const [saved, setSaved] = useState(false);
  const open = (v: string | null) => {
    setSaved(false);
    setParams(v ? new URLSearchParams({ template: v }) : new URLSearchParams(), { replace: true });
  };
  const onSaved = (x: Template) => {
    open(x.id);
    setSaved(true);
  };
  const current = templates.data?.data.find((x) => x.id === id);
  return (
    <>
      <Card
        title={t('outreach.templates')}
        actions={
          <Button variant="primary" onClick={() => open('new')}>
            {t('outreach.newTemplate')}
          </Button>
        }
      >
        {templates.isPending ? (
          <Loading />
        ) : templates.error ? (
          <ErrorNote error={templates.error} />
        ) : templates.data.data.length === 0 ? (
          <Empty>{t('outreach.noTemplates')}</Empty>
        ) : (
          <Table
            head={[
              t('outreach.name'),
              t('outreach.purpose'),
              t('outreach.channels'),
              t('outreach.languages'),
              t('outreach.updated'),
              <span key="actions" className="visually-hidden">
                {t('common.actions')}
              </span>,
            ]}
          >
            {templates.data.data.map((x) => (
              <tr key={x.id} data-template={x.name}>
                <td>{x.name}</td>
                <td>{t(`purpose.${x.purpose}`)}</td>
                <td>
                  {x.channels.map((c) => (
                    <Badge key={c}>{t(`channel.${c}`, { defaultValue: c })}</Badge>
                  ))}
                </td>
                <td>{Object.keys(x.content).join(', ')}</td>
                <td>{formatDateTime(x.updated_at, i18n.language)}</td>
                <td>
                  <Button variant="ghost" aria-label={t('outreach.editTemplate', { name: x.name })} onClick={() => open(x.id)}>
                    {t('common.edit')}
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {saved && (
        <p className="notice" role="status">
          {t('outreach.templateSaved')}
        </p>
      )}
      {id === 'new' && <Editor key="new" onSaved={onSaved} />}
      {current && <Editor key={`${current.id}:${current.updated_at}`} template={current} onSaved={onSaved} />}
      {current && <Preview template={current} />}
    </>
  );
}

function Editor({ template, onSaved }: { template?: Template; onSaved: (t: Template) => void }) {
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

interface Rendered {
  channel: string;
  subject?: string;
  text?: string;
  html?: string;
}
interface PreviewResult {
  locale: string;
  timezone: string;
  channel: string | null;
  rendered: Record<string, Rendered>;
}

function Preview({ template }: { template: Template }) {
  const { t } = useTranslation();
  const [customerId, setCustomerId] = useState('');
  const [locale, setLocale] = useState('');
  const run = useMutation({ mutationFn: () => previewTemplate<PreviewResult>(template.id, { customer_id: customerId.trim(), locale: locale || undefined }) });
  const err = run.error instanceof ApiError ? run.error : undefined;
  return (
    <Card title={t('outreach.preview')}>
      <p className="muted">{t('outreach.previewExplain')}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <TextField
          label={t('outreach.customerId')}
          value={customerId}
          onChange={(e) => setCustomerId(e.target.value)}
          error={err?.fieldMessage('customer_id')}
        />
        <SelectField
          label={t('outreach.previewLocale')}
          value={locale}
          onChange={(e) => setLocale(e.target.value)}
          options={[{ value: '', label: t('outreach.auto') }, ...LOCALES.map((l) => ({ value: l, label: t(`outreach.locale.${l}`) }))]}
        />
        <Button type="submit" busy={run.isPending} disabled={!customerId.trim()}>
          {t('outreach.render')}
        </Button>
      </form>
      <Problems error={run.error} />
      {run.data && (
        <div className="preview-result" role="status">
          <p>
            {run.data.channel
              ? t('outreach.chosenChannel', {
                  channel: t(`channel.${run.data.channel}`, { defaultValue: run.data.channel }),
                  locale: run.data.locale,
                  timezone: run.data.timezone,
                })
              : t('outreach.noChannel')}
          </p>
          {Object.entries(run.data.rendered).map(([ch, r]) => (
            <dl key={ch} className="kv" data-channel={ch}>
              <dt>{t(`channel.${ch}`, { defaultValue: ch })}</dt>
              <dd>{r.subject && <strong>{r.subject}</strong>}</dd>
              {r.text !== undefined && (
                <>
                  <dt>
                    <span className="visually-hidden">{t('outreach.body')}</span>
                  </dt>
                  <dd style={{ whiteSpace: 'pre-wrap' }}>{r.text}</dd>
                </>
              )}
            </dl>
          ))}
        </div>
      )}
    </Card>
  );
}
