// Dates and numbers in the language a person chose (not the browser's), for every screen.

// Building an Intl formatter costs far more than formatting with it, and a list of a hundred rows
// formats hundreds of dates: one formatter per language and style is kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

export function formatDateTime(iso: string | null | undefined, lng: string) {
  if (!iso) return '—';
  return formatter(`dt:${lng}`, () => new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, lng: string) {
  if (!iso) return '—';
  return formatter(`d:${lng}`, () => new Intl.DateTimeFormat(lng, { dateStyle: 'medium' })).format(new Date(iso));
}

/** A number in the reader's language (grouping, decimal mark; a share as a percent with style: 'percent'). */
export function formatNumber(n: number | null | undefined, lng: string, options: Intl.NumberFormatOptions = {}) {
  if (n === null || n === undefined) return '—';
  return formatter(`n:${lng}:${JSON.stringify(options)}`, () => new Intl.NumberFormat(lng, options)).format(n);
}

export function formatMoney(amount: number, currency: string, lng: string) {
  try {
    return formatter(`m:${lng}:${currency}`, () => new Intl.NumberFormat(lng, { style: 'currency', currency })).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}
