// The console's language switch, in the top bar and on the sign-in page: the page's language, and the
// signed-in person's saved one.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../shared/i18n.js';
import { useChangeLanguage } from './session.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const change = useChangeLanguage();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select aria-label={t('common.language')} value={i18n.language} onChange={(e) => change.mutate(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
