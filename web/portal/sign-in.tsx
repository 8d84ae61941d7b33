// Signing in to the portal: an email gets a one-time code (or a link that signs in by itself).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../shared/api.js';
import { Button, Card, TextField } from '../shared/ui.js';
import { startSignIn, verifySignIn } from './api.js';
import { LanguageSwitch } from './language-switch.js';

/** The sign-in link's token in the address bar's #fragment, if there is one. */
const linkToken = () => new URLSearchParams(location.hash.slice(1)).get('token');

export function SignIn() {
  const { tenant = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [stage, setStage] = useState<'email' | 'code' | 'link'>(linkToken() !== null ? 'link' : 'email');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const done = useCallback(async () => {
    qc.removeQueries({ queryKey: ['portal-me'] });
    navigate(`/${tenant}/`, { replace: true });
  }, [qc, navigate, tenant]);
  const explain = (err: unknown) =>
    setError(
      err instanceof ApiError && err.status === 429
        ? t('portal.signIn.tooMany')
        : err instanceof ApiError && err.status === 401
          ? t('portal.signIn.wrong')
          : err instanceof ApiError && err.status === 422
            ? (err.fields[0]?.message ?? err.message)
            : t('common.error'),
    );

  // The link carries its token in the #fragment, which browsers never send to a server or in a Referer.
  // It signs in when the page opens with it and also when it arrives later in the same tab (the link
  // pasted over the code form changes only the fragment): either way the token leaves the address bar
  // at once, which also keeps a second run of this effect from using it twice.
  useEffect(() => {
    const signInByLink = () => {
      const token = linkToken();
      if (token === null) return;
      history.replaceState(null, '', location.pathname);
      setStage('link');
      setError(undefined);
      verifySignIn({ tenant, token }).then(done, () => {
        setStage('email');
        setError(t('portal.signIn.linkFailed'));
      });
    };
    signInByLink();
    window.addEventListener('hashchange', signInByLink);
    return () => window.removeEventListener('hashchange', signInByLink);
  }, [tenant, t, done]);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await startSignIn({ tenant, email, locale: i18n.language });
      setStage('code');
    } catch (err) {
      explain(err);
    } finally {
      setBusy(false);
    }
  }
  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await verifySignIn({ tenant, email, code: code.replace(/\s/g, '') });
      await done();
    } catch (err) {
      explain(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="portal">
      <div className="portal-head">
        <span className="brand">{tenant}</span>
        <LanguageSwitch />
      </div>
      <Card className="sign-in" title={t('portal.signIn.title', { tenant })}>
        {stage === 'link' ? (
          <p role="status">{t('portal.signIn.checking')}</p>
        ) : stage === 'email' ? (
          <form onSubmit={send}>
            <p className="muted">{t('portal.signIn.explain')}</p>
            <TextField
              label={t('portal.signIn.email')}
              type="email"
              name="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            {error && (
              <div className="alert" role="alert">
                {error}
              </div>
            )}
            <Button type="submit" variant="primary" busy={busy} disabled={!email}>
              {t('portal.signIn.send')}
            </Button>
          </form>
        ) : (
          <form onSubmit={verify}>
            <p className="notice" role="status">
              {t('portal.signIn.sent')}
            </p>
            <TextField
              label={t('portal.signIn.code')}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            {error && (
              <div className="alert" role="alert">
                {error}
              </div>
            )}
            <div className="row">
              <Button type="submit" variant="primary" busy={busy} disabled={code.replace(/\s/g, '').length !== 6}>
                {t('portal.signIn.verify')}
              </Button>
              <Button
                variant="ghost"
                onClick={() => {
                  setStage('email');
                  setCode('');
                  setError(undefined);
                }}
              >
                {t('portal.signIn.another')}
              </Button>
            </div>
          </form>
        )}
      </Card>
    </main>
  );
}
