// The customer's data: download all of it, or erase it.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, Checkbox, ErrorNote } from '../shared/ui.js';
import { EXPORT_URL, eraseMe } from './api.js';

export function Privacy({ onErased }: { onErased: () => void }) {
  const { t } = useTranslation();
  const [sure, setSure] = useState(false);
  const erase = useMutation({ mutationFn: () => eraseMe(), onSuccess: onErased });
  return (
    <>
      <Card title={t('portal.privacy.title')}>
        <p className="muted">{t('portal.privacy.downloadExplain')}</p>
        {/* A plain link: the browser downloads the attachment with the session cookie. */}
        <a className="btn btn-primary" href={EXPORT_URL} download>
          {t('portal.privacy.download')}
        </a>
      </Card>
      <Card title={t('portal.privacy.eraseTitle')}>
        <p>{t('portal.privacy.eraseExplain')}</p>
        <Checkbox label={t('portal.privacy.eraseConfirm')} checked={sure} onChange={(e) => setSure(e.target.checked)} />
        <Button variant="danger" disabled={!sure} busy={erase.isPending} onClick={() => erase.mutate()}>
          {t('portal.privacy.erase')}
        </Button>
        <ErrorNote error={erase.error} />
      </Card>
    </>
  );
}
