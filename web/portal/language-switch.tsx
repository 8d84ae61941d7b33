// The portal's language switch: the page's language, and the signed-in customer's profile too.
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../shared/i18n.js';
import { updateMe } from './api.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const change = async (lng: Language) => {
    await setLanguage(lng);
    // Signed in: the customer's profile remembers the language too, so messages follow it.
    if (qc.getQueryData(['portal-me'])) qc.setQueryData(['portal-me'], await updateMe({ locale: lng }).catch(() => qc.getQueryData(['portal-me'])));
  };
  return (
    <select className="lang-switch" aria-label={t('common.language')} value={i18n.language} onChange={(e) => void change(e.target.value as Language)}>
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
