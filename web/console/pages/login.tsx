import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../shared/api.js';
import { Button, Card, TextField } from '../../shared/ui.js';
import { LanguageSwitch } from '../language-switch.js';

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form, setForm] = useState({ tenant: localStorage.getItem('rapport.tenant') ?? '', email: '', password: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/v1/auth/login', form);
      localStorage.setItem('rapport.tenant', form.tenant);
      // Drop the signed-out answer so the next screen waits for the signed-in one.
      qc.removeQueries({ queryKey: ['me'] });
      const next = params.get('next');
      // Only paths inside the console: an open redirect would let a link send people elsewhere.
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/home', { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429 ? t('auth.tooMany') : err instanceof ApiError && err.status === 401 ? t('auth.wrong') : t('common.error'),
      );
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <main className="login-page">
      <Card className="login-card" title={t('auth.title')} actions={<LanguageSwitch />}>
        <form onSubmit={submit} noValidate>
          <TextField label={t('auth.tenant')} name="tenant" autoComplete="organization" required value={form.tenant} onChange={set('tenant')} />
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="username" required value={form.email} onChange={set('email')} />
          <TextField
            label={t('auth.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={form.password}
            onChange={set('password')}
          />
          {error && (
            <div className="alert" role="alert">
              {error}
            </div>
          )}
          <Button type="submit" variant="primary" busy={busy}>
            {t('auth.signIn')}
          </Button>
        </form>
      </Card>
    </main>
  );
}
