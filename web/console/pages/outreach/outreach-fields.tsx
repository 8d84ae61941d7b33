// Form pieces the outreach tabs share: a labelled textarea, and the list of field problems a
// problem+json answer named (for the fields a form does not show beside an input).
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { ErrorNote } from '../../../shared/ui.js';

export function TextArea({ label, value, onChange, error, hint, rows }: { label: string; value: string; onChange: (v: string) => void; error?: string; hint?: string; rows?: number }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} />
      {(error || hint) && <small id={`${id}-note`} className={error ? 'field-error' : 'field-hint'}>{error ?? hint}</small>}
    </div>
  );
}

/** Every field problem of a failed save, named by its path, so none is lost when no input shows it. */
export function FieldProblems({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || !error.fields.length) return <ErrorNote error={error} />;
  return (
    <div className="alert" role="alert">
      <div>{t('outreach.problems')}</div>
      <ul>{error.fields.map((f) => <li key={f.field}>{f.field.replace(/^body\./, '')}: {f.message}</li>)}</ul>
    </div>
  );
}
