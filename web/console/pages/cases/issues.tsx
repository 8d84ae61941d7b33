// Improvement actions: issues that group cases and, once fixed, tell every affected customer.
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Empty, ErrorNote, TextField } from '../../../shared/ui.js';
import { createIssue, fixIssue, listIssues } from '../../api/cases.js';
import { useRefreshCases } from './cases-page.js';

export function Issues() {
  const { t } = useTranslation();
  const refresh = useRefreshCases();
  const issues = useQuery({ queryKey: ['loop-issues'], queryFn: () => listIssues() });
  const [form, setForm] = useState({ title: '', root_cause: '', action: '' });
  const [fixText, setFixText] = useState<Record<string, string>>({});
  const [done, setDone] = useState<{ resolved_cases: number; customers: number } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      createIssue({ title: form.title, ...(form.root_cause ? { root_cause: form.root_cause } : {}), ...(form.action ? { action: form.action } : {}) }),
    onSuccess: () => {
      setForm({ title: '', root_cause: '', action: '' });
      refresh();
    },
  });
  const fix = useMutation({
    mutationFn: (id: string) => fixIssue(id, fixText[id]),
    onSuccess: (r) => {
      setDone(r);
      refresh();
    },
  });
  return (
    <Card title={t('cases.issues')}>
      <p className="muted">{t('cases.issuesExplain')}</p>
      {done && (
        <p className="notice" role="status">
          {t('cases.fixed', { cases: done.resolved_cases, customers: done.customers })}
        </p>
      )}
      <ErrorNote error={fix.error ?? issues.error} />
      {issues.data?.data.length === 0 ? (
        <Empty>{t('cases.noIssues')}</Empty>
      ) : (
        <ul className="plain">
          {(issues.data?.data ?? []).map((i) => (
            <li key={i.id} className="issue" data-issue={i.title}>
              <strong>{i.title}</strong>{' '}
              <Badge tone={i.status === 'fixed' ? 'good' : 'info'}>{t(`cases.issueStatus.${i.status}`, { defaultValue: i.status })}</Badge>{' '}
              <span className="muted">
                {t('cases.cases')}: {i.case_count}
              </span>
              {i.root_cause && (
                <div className="muted">
                  {t('cases.rootCause')}: {i.root_cause}
                </div>
              )}
              {i.status !== 'fixed' && (
                <form
                  className="row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    fix.mutate(i.id);
                  }}
                >
                  <TextField
                    label={t('cases.fixAction')}
                    value={fixText[i.id] ?? i.action ?? ''}
                    onChange={(e) => setFixText({ ...fixText, [i.id]: e.target.value })}
                  />
                  <div className="field">
                    <Button type="submit" variant="primary" disabled={!(fixText[i.id] ?? i.action ?? '').trim()} busy={fix.isPending}>
                      {t('cases.fix')}
                    </Button>
                  </div>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h3>{t('cases.newIssue')}</h3>
        <TextField label={t('cases.issueTitle')} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
        <TextField label={t('cases.rootCause')} value={form.root_cause} onChange={(e) => setForm({ ...form, root_cause: e.target.value })} />
        <ErrorNote error={create.error} />
        <Button type="submit" disabled={!form.title.trim()} busy={create.isPending}>
          {t('cases.createIssue')}
        </Button>
      </form>
    </Card>
  );
}
