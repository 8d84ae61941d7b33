// The console's landing screen after sign-in: an agent sees their queue and what is about to miss its
// SLA; a manager (and an admin) the experience scores, late cases, loop closure, crises and points owed.
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../shared/ui.js';
import { useMe } from '../../session.js';
import { AgentHome } from './agent-home.js';
import { ManagerHome } from './manager-home.js';

export default function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const isAgent = me?.role === 'agent';
  return (
    <>
      <PageHeader title={t('home.title')} subtitle={isAgent ? t('home.agentSubtitle') : t('home.managerSubtitle')} />
      {isAgent ? <AgentHome /> : <ManagerHome />}
    </>
  );
}
