// Opening a case by hand.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNote, TextField } from '../../../shared/ui.js';
import { openCase } from '../../api/cases.js';
import { useRefreshCases } from './cases-page.js';

export function NewCase() {
  const { t } = useTranslation();
  const refresh = useRefreshCases();
  const [form, setForm] = useState({ summary: '', team: '' });
  const create = useMutation({
    mutationFn: () => openCase({ summary: form.summary, ...(form.team.trim() ? { team: form.team.trim() } : {}) }),
    onSuccess: () => {
      setForm({ summary: '', team: '' });
      refresh();
    },
  });
  return (
    <Card title={t('cases.open')}>
      <p className="muted">{t('cases.openExplain')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextField label={t('cases.summary')} value={form.summary} onChange={(e) => setForm({ ...form, summary: e.target.value })} />
        <TextField label={t('cases.team')} value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} />
        <ErrorNote error={create.error} />
        <Button type="submit" variant="primary" disabled={!form.summary.trim()} busy={create.isPending}>
          {t('cases.create')}
        </Button>
      </form>
    </Card>
  );
}
