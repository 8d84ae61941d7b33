// The design system: a handful of accessible primitives (native elements, visible focus, labels tied
// to inputs, errors announced) styled by styles.css. No component library: small and ours.
import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.js';
import { humanizeLabel } from './words.js';

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export function Button({
  variant = 'secondary',
  busy,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; busy?: boolean }) {
  return (
    <button type="button" {...rest} className={`btn btn-${variant} ${rest.className ?? ''}`} disabled={rest.disabled || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

export function TextField({ label, error, hint, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...rest} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} />
      {(error || hint) && (
        <small id={`${id}-note`} className={error ? 'field-error' : 'field-hint'}>
          {error ?? hint}
        </small>
      )}
    </div>
  );
}

export function SelectField({
  label,
  error,
  options,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...rest} aria-invalid={error ? true : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}

export function Checkbox({ label, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" {...rest} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={title ? id : undefined}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2 id={id}>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  // data-empty marks an empty state for the browser journeys, which fail a screen that shows one on the demo.
  return (
    <p className="empty" data-empty="">
      {children}
    </p>
  );
}

/** Shows an error from a query or mutation; network and server errors in plain words. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text = t('common.error');
  if (error instanceof ApiError) {
    if (error.status === 0) text = t('common.networkError');
    else if (error.status === 404) text = t('common.notFound');
    else if (error.status === 403) text = t('common.forbidden');
    else if (error.status === 429) text = t('common.tooMany');
    else if (error.status < 500) text = error.message;
  }
  return (
    <div className="alert" role="alert">
      {text}
    </div>
  );
}

/**
 * What a query shows, in the one order every screen follows: "loading" until its first answer, then
 * its error, then the empty state when `isEmpty` says there is nothing, else `children` with the data.
 */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorNote error={query.error} />;
  // Neither pending nor failed: TanStack Query holds the data.
  const data = query.data as T;
  if (isEmpty?.(data)) return <Empty>{empty}</Empty>;
  return <>{children(data)}</>;
}

/**
 * Shows a problem answer's list of bad fields (RFC 9457 `errors: [{ field, message }]`), one line each,
 * for forms whose fields are too many or too nested to show each message beside its input; any other
 * error as ErrorNote does.
 */
/**
 * A field as a person reads it in a list of problems: `definition.questions[0].show_if` → "Definition ›
 * Questions › 1 › Show if" (the API's own names, made readable; a form shows its problems beside its fields).
 */
export function fieldLabel(field: string): string {
  return field
    .replace(/^body\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : humanizeLabel(part)))
    .join(' › ');
}

export function Problems({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.fields.length) return <ErrorNote error={error} />;
  return (
    <div className="alert" role="alert">
      {error.fields.map((f, i) => (
        <div key={i}>
          {fieldLabel(f.field)}: {f.message}
        </div>
      ))}
    </div>
  );
}

/** A table with a header row; rows are the children. */
export function Table({ head, children }: { head: ReactNode[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function TextArea({
  label,
  value,
  onChange,
  error,
  hint,
  rows,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
  rows?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
      />
      {(error || hint) && (
        <small id={`${id}-note`} className={error ? 'field-error' : 'field-hint'}>
          {error ?? hint}
        </small>
      )}
    </div>
  );
}

export function Coming({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <div className="coming" data-empty="">
      <p>{t('common.comingWith', { what })}</p>
    </div>
  );
}

export { formatDate, formatDateTime, formatMoney, formatNumber } from './format.js';
