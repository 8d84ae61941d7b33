// The customer's own space: sign in with a one-time code or link, then profile, history, rewards,
// preferences and consent, and their data (download, erasure). Everything here is the signed-in
// customer's only: the API behind it answers to the portal session cookie alone.
import { useEffect, useState } from 'react';
import { Navigate, NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { customerName } from '../shared/customer-name.js';
import { setLanguage, isLanguage } from '../shared/i18n.js';
import { Button, Card, ErrorNote, Loading } from '../shared/ui.js';
import { signOut, useMe } from './api.js';
import { History } from './history.js';
import { LanguageSwitch } from './language-switch.js';
import { Preferences, Consent } from './preferences.js';
import { Privacy } from './privacy.js';
import { Profile } from './profile.js';
import { Rewards } from './rewards.js';
import { SignIn } from './sign-in.js';

export function PortalApp() {
  return (
    <Routes>
      <Route path="/:tenant/sign-in" element={<SignIn />} />
      <Route path="/:tenant/*" element={<Account />} />
      <Route path="*" element={<NoTenant />} />
    </Routes>
  );
}

function NoTenant() {
  const { t } = useTranslation();
  return (
    <main className="portal">
      <Card title={t('portal.signIn.titleNoTenant')}>
        <p>{t('portal.signIn.noTenant')}</p>
      </Card>
    </main>
  );
}

function Account() {
  const { tenant = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [erased, setErased] = useState(false);

  // The customer's own language choice, kept on their profile, wins in any browser.
  // It runs when the profile's language changes, not when the page's does: switching languages sets the
  // page first and the profile after, and must not be undone in between.
  const locale = me.data?.locale;
  useEffect(() => {
    if (isLanguage(locale) && locale !== i18n.language) void setLanguage(locale);
  }, [locale, i18n]);

  if (erased)
    return (
      <main className="portal">
        <p className="notice" role="status">
          {t('portal.privacy.erased')}
        </p>
      </main>
    );
  if (me.isPending)
    return (
      <main className="portal">
        <Loading />
      </main>
    );
  if (me.error)
    return (
      <main className="portal">
        <ErrorNote error={me.error} />
      </main>
    );
  if (!me.data) return <Navigate to={`/${tenant}/sign-in`} replace />;
  const data = me.data;
  const leave = async () => {
    await signOut().catch(() => undefined);
    qc.clear();
    navigate(`/${tenant}/sign-in`);
  };
  const tabs = [
    ['', 'profile'],
    ['history', 'history'],
    ['rewards', 'rewards'],
    ['preferences', 'preferences'],
    ['privacy', 'privacy'],
  ] as const;
  return (
    <div className="portal">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="portal-head">
        <span className="brand">{data.tenant_name ?? tenant}</span>
        <div className="row" style={{ alignItems: 'center' }}>
          <LanguageSwitch />
          <Button variant="ghost" onClick={leave}>
            {t('portal.signOut')}
          </Button>
        </div>
      </header>
      <h1>{t('portal.hello', { name: customerName(data, i18n.language) })}</h1>
      <nav className="portal-tabs" aria-label={t('portal.sections')}>
        {tabs.map(([path, key]) => (
          <NavLink key={key} to={`/${tenant}/${path}`} end>
            {t(`portal.tab.${key}`)}
          </NavLink>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route index element={<Profile me={data} />} />
          <Route path="history" element={<History />} />
          <Route path="rewards" element={<Rewards />} />
          <Route
            path="preferences"
            element={
              <>
                <Preferences me={data} />
                <Consent me={data} />
              </>
            }
          />
          <Route
            path="privacy"
            element={
              <Privacy
                onErased={() => {
                  qc.clear();
                  setErased(true);
                }}
              />
            }
          />
        </Routes>
      </main>
    </div>
  );
}
