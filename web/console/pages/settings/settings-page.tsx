// Settings: users, API keys (shown once), custom attributes, the website widget, the tenant's policies,
// and the inbox's channels, teams and agents, SLA policies and routing rules; a tab each.
import { NavLink, Route, Routes, useOutletContext } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ChannelsSettings } from './inbox-channels.js';
import { TeamsSettings } from './inbox-teams.js';
import { SlaSettings } from './inbox-sla.js';
import { RoutingSettings } from './inbox-routing.js';
import { TenantPolicies } from './tenant-policies.js';
import { PageHeader } from '../../../shared/ui.js';
import { ApiKeys } from './api-keys.js';
import { Attributes } from './attributes.js';
import { Users } from './users.js';
import { Widget } from './widget-settings.js';

export function SettingsPage() {
  const { t } = useTranslation();
  const { isAdmin } = useOutletContext<{ isAdmin: boolean }>();
  const tabs = ['users', 'api-keys', 'attributes', 'widget', 'channels', 'teams', 'sla', 'routing', 'policies'] as const;
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <nav className="subnav" aria-label={t('nav.settings')}>
        {tabs.map((k) => (
          <NavLink key={k} to={`/settings/${k}`}>
            {t(`settings.tab.${k}`)}
          </NavLink>
        ))}
      </nav>
      {!isAdmin ? (
        <div className="alert" role="alert">
          {t('settings.adminOnly')}
        </div>
      ) : (
        <Routes>
          <Route index element={<Users />} />
          <Route path="users" element={<Users />} />
          <Route path="api-keys" element={<ApiKeys />} />
          <Route path="attributes" element={<Attributes />} />
          <Route path="widget" element={<Widget />} />
          <Route path="channels" element={<ChannelsSettings />} />
          <Route path="teams" element={<TeamsSettings />} />
          <Route path="sla" element={<SlaSettings />} />
          <Route path="routing" element={<RoutingSettings />} />
          <Route path="policies" element={<TenantPolicies />} />
        </Routes>
      )}
    </>
  );
}
