// The public help centre: where it is, and (for administrators, who hold the tenant's settings) the
// language it opens in for visitors who ask for none we serve.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, ErrorNote, Loading, SelectField } from '../../../shared/ui.js';
import { isAdmin, useMe } from '../../session.js';
import { ALL_LANGUAGES, useHelpCentre, type HelpCentre } from './knowledge-data.js';
import { setHelpCentreLanguage } from '../../api/knowledge.js';

export function HelpCentreScreen() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const hc = useHelpCentre();
  if (hc.isPending) return <Loading />;
  if (hc.error) return <ErrorNote error={hc.error} />;
  return (
    <Card title={t('knowledge.helpCentre')}>
      <dl className="kv">
        <dt>{t('knowledge.address')}</dt>
        <dd>
          <a href={hc.data.url} target="_blank" rel="noreferrer" data-help-centre-url>
            {hc.data.url}
          </a>
        </dd>
      </dl>
      {isAdmin(me) ? (
        <LanguageForm current={hc.data} />
      ) : (
        <>
          <dl className="kv">
            <dt>{t('knowledge.defaultLanguage')}</dt>
            <dd>{t(`knowledge.language.${hc.data.default_language}`, { defaultValue: hc.data.default_language })}</dd>
          </dl>
          <p className="muted">{t('knowledge.adminOnly')}</p>
        </>
      )}
    </Card>
  );
}

function LanguageForm({ current }: { current: HelpCentre }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [language, setLanguage] = useState<string>(current.default_language);
  // Only the field named is sent: the settings API changes what a PATCH names and nothing else.
  const save = useMutation({
    mutationFn: () => setHelpCentreLanguage(language),
    onSuccess: (s) =>
      qc.setQueryData<HelpCentre>(
        ['knowledge-help-centre'],
        (old) => old && { ...old, default_language: s.default_language as HelpCentre['default_language'] },
      ),
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <SelectField
        label={t('knowledge.defaultLanguage')}
        value={language}
        onChange={(e) => {
          save.reset();
          setLanguage(e.target.value);
        }}
        options={ALL_LANGUAGES.map((l) => ({ value: l, label: t(`knowledge.language.${l}`) }))}
        error={err?.fieldMessage('default_language')}
      />
      <p className="muted">{t('knowledge.defaultLanguageHint')}</p>
      {save.isSuccess && (
        <p className="notice" role="status">
          {t('knowledge.settingsSaved')}
        </p>
      )}
      <ErrorNote error={err?.fields.length ? undefined : save.error} />
      <Button type="submit" variant="primary" busy={save.isPending} disabled={language === current.default_language}>
        {t('common.save')}
      </Button>
    </form>
  );
}
