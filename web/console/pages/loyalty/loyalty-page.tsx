// Loyalty admin: the programme's earning rules and tiers (one document, saved whole), a dry run that
// explains what a purchase would earn, the rewards catalogue, and the finance view of what the
// points owe.
import { useOutletContext } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorNote, Loading, PageHeader } from '../../../shared/ui.js';
import { getProgram } from '../../api/loyalty.js';
import { DryRun } from './dry-run.js';
import { Liability } from './liability.js';
import { ProgramEditor } from './program-editor.js';
import { Rewards } from './rewards.js';

export default function LoyaltyPage() {
  const { t } = useTranslation();
  const program = useQuery({ queryKey: ['loyalty-program'], queryFn: () => getProgram() });
  // The finance view is an admin's (the API refuses it to others); asking for it anyway fails in the console.
  const { isAdmin } = useOutletContext<{ isAdmin: boolean }>();
  return (
    <>
      <PageHeader title={t('loyalty.title')} subtitle={t('loyalty.subtitle')} />
      {program.isPending ? <Loading /> : program.error ? <ErrorNote error={program.error} /> : <ProgramEditor initial={program.data} />}
      <div className="grid">
        <DryRun tiers={program.data?.tiers ?? []} />
        <Rewards tiers={program.data?.tiers ?? []} />
      </div>
      {isAdmin && <Liability />}
    </>
  );
}
