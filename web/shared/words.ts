// A code shown as words, never as the code: through its translation key when there is one, else the
// code made readable, so a tenant's own code (a topic, a tier id) still reads as words.
import { useTranslation } from 'react-i18next';

/** A code as words when no translation names it: `flight_delay` → "flight delay". */
export const humanize = (code: string) => code.replace(/[_-]+/g, ' ').trim();

/** A code as a label of its own when no translation names it: `platinum` → "Platinum". */
export const humanizeLabel = (code: string) => {
  const words = humanize(code);
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** `word(prefix, code)`: the translation under `prefix.code`, else the code humanized (as a label with `asLabel`). */
export function useWord() {
  const { t } = useTranslation();
  // A key is looked up only for a code that can be one: a tenant's code with a dot would name a nested key.
  return (prefix: string, code: string, asLabel = false) => {
    const fallback = asLabel ? humanizeLabel(code) : humanize(code);
    return /^[\w-]+$/.test(code) ? t(`${prefix}.${code}`, { defaultValue: fallback }) : fallback;
  };
}
