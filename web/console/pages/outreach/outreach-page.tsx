// Outreach: message templates in both languages with a preview, campaigns to segments with their
// plan and delivery figures, journeys switched on and off, and the tenant's outreach settings.
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../shared/ui.js';
import { useMe, isAdmin } from '../../session.js';
import { TemplatesTab } from './templates.js';
import { CampaignsTab } from './campaigns.js';
import { JourneysTab } from './journeys.js';
import { OutreachSettingsTab } from './outreach-settings.js';

export default function OutreachPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const tabs = ['templates', 'campaigns', 'journeys', 'settings'] as const;
  // Writing to every customer is a manager's decision: agents answer customers one at a time in the
  // inbox. The API lets any writer call these routes, so the console is where the line is drawn.
  if (me?.role === 'agent') {
    return (
      <>
        <PageHeader title={t('outreach.title')} />
        <div className="alert" role="alert">
          {t('outreach.managersOnly')}
        </div>
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('outreach.title')} subtitle={t('outreach.subtitle')} />
      <nav className="subnav" aria-label={t('outreach.sections')}>
        {tabs
          .filter((k) => k !== 'settings' || isAdmin(me))
          .map((k) => (
            <NavLink key={k} to={`/outreach/${k}`}>
              {t(`outreach.tab.${k}`)}
            </NavLink>
          ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to="templates" replace />} />
        <Route path="templates" element={<TemplatesTab />} />
        <Route path="campaigns" element={<CampaignsTab />} />
        <Route path="journeys" element={<JourneysTab />} />
        {/* The settings API takes the admin scope (they hold the SMTP server and sending rules). */}
        <Route
          path="settings"
          element={
            isAdmin(me) ? (
              <OutreachSettingsTab />
            ) : (
              <div className="alert" role="alert">
                {t('outreach.adminOnly')}
              </div>
            )
          }
        />
      </Routes>
    </>
  );
}
