import { lazy, Suspense, useState, type ComponentType } from 'react';
import { Navigate, NavLink, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api.js';
import { Button, Loading, ErrorNote } from '../shared/ui.js';
import { useMe, isAdmin, canOpen } from './session.js';
import { LanguageSwitch } from './language-switch.js';
import { LoginPage } from './pages/login.js';
import { CustomersPage } from './pages/customers.js';
import { CustomerPage } from './pages/customer/customer-page.js';
import { SettingsPage } from './pages/settings/settings-page.js';

/**
 * A screen loaded on demand. React shows a suspended screen no sooner than 300 ms after its fallback
 * (React 19 throttles Suspense reveals), so the screen a page load opens on is fetched before the
 * first render (preloadScreen) and then drawn without suspending. Which way a mount goes is decided
 * once, so a screen is never remounted when its chunk arrives.
 */
function lazyScreen(load: () => Promise<{ default: ComponentType }>) {
  let loaded: ComponentType | undefined;
  const fetch = () =>
    load().then((m) => {
      loaded = m.default;
      return m;
    });
  const Lazy = lazy(fetch);
  // biome-ignore lint/correctness/noComponentHookFactories: made once per screen at module load (the SCREENS table), never inside a render
  function Screen() {
    const [Loaded] = useState(() => loaded);
    return Loaded ? <Loaded /> : <Lazy />;
  }
  return Object.assign(Screen, { preload: fetch });
}

// The screens loaded on demand, in the order the sidebar lists them. This one table gives each its
// chunk, its route (/<name> and below), its navigation link (nav.<name>) and the path that preloads it.
const SCREENS = {
  home: lazyScreen(() => import('./pages/home/home-page.js')),
  inbox: lazyScreen(() => import('./pages/inbox/inbox-page.js')),
  surveys: lazyScreen(() => import('./pages/surveys/surveys-page.js')),
  cases: lazyScreen(() => import('./pages/cases/cases-page.js')),
  loyalty: lazyScreen(() => import('./pages/loyalty/loyalty-page.js')),
  listening: lazyScreen(() => import('./pages/listening/listening-page.js')),
  analytics: lazyScreen(() => import('./pages/analytics/analytics-page.js')),
  outreach: lazyScreen(() => import('./pages/outreach/outreach-page.js')),
  knowledge: lazyScreen(() => import('./pages/knowledge/knowledge-page.js')),
};
type ScreenName = keyof typeof SCREENS;
const SCREEN_NAMES = Object.keys(SCREENS) as ScreenName[];
const isScreenName = (s: string): s is ScreenName => Object.hasOwn(SCREENS, s);

/** Fetches the on-demand screen a console path opens on (a path under /console, without it). */
export function preloadScreen(path: string): Promise<unknown> {
  const name = path.split('/')[1] ?? '';
  return isScreenName(name) ? SCREENS[name].preload().catch(() => undefined) : Promise.resolve();
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<Navigate to="/home" replace />} />
        <Route path="/customers" element={<CustomersPage />} />
        <Route path="/customers/:id/*" element={<CustomerPage />} />
        {SCREEN_NAMES.map((name) => {
          const Screen = SCREENS[name];
          return <Route key={name} path={`/${name}/*`} element={<Screen />} />;
        })}
        <Route path="/settings/*" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return <p>{t('common.notFound')}</p>;
}

function RequireSession() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending)
    return (
      <div className="content">
        <Loading />
      </div>
    );
  if (me.error)
    return (
      <div className="content">
        <ErrorNote error={me.error} />
      </div>
    );
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Layout />;
}

function Layout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = async () => {
    await api('POST', '/v1/auth/logout').catch(() => undefined);
    qc.clear();
    navigate('/login');
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <aside className="sidebar">
        <NavLink to="/home" className="brand">
          Rapport
        </NavLink>
        <nav className="nav" aria-label={t('nav.label')}>
          <div className="nav-group">{t('nav.work')}</div>
          <NavLink to="/home">{t('nav.home')}</NavLink>
          <NavLink to="/customers">{t('nav.customers')}</NavLink>
          {/* Pointing at (or tabbing to) a screen fetches it, so the click shows it without Suspense's wait. */}
          {SCREEN_NAMES.filter((name) => name !== 'home' && canOpen(me, name)).map((name) => (
            <NavLink key={name} to={`/${name}`} onMouseEnter={() => void preloadScreen(`/${name}`)} onFocus={() => void preloadScreen(`/${name}`)}>
              {t(`nav.${name}`)}
            </NavLink>
          ))}
          {canOpen(me, 'settings') && (
            <>
              <div className="nav-group">{t('nav.admin')}</div>
              <NavLink to="/settings">{t('nav.settings')}</NavLink>
            </>
          )}
        </nav>
      </aside>
      <div className="main">
        <div className="topbar">
          <span className="muted">
            {me?.tenant_name} · {me?.name ?? me?.email} {me?.role && <>({t(`roles.${me.role}`)})</>}
          </span>
          <LanguageSwitch />
          <Button variant="ghost" onClick={logout}>
            {t('auth.logout')}
          </Button>
        </div>
        <main id="main" className="content" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Outlet context={{ isAdmin: isAdmin(me) }} />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
