// Areas whose APIs land with their own modules: the navigation, headings and layout are in place so
// each screen slots in without moving anything else.
import { useTranslation } from 'react-i18next';
import { Card, Coming, PageHeader } from '../../shared/ui.js';

export type Area = 'inbox' | 'surveys' | 'cases' | 'loyalty' | 'listening' | 'analytics';

const PARTS: Record<Area, string[]> = {
  inbox: ['queues', 'conversations', 'conversation', 'context'],
  surveys: ['builder', 'triggers', 'preview', 'results'],
  cases: ['board', 'sla', 'actions'],
  loyalty: ['rules', 'tiers', 'rewards', 'liability'],
  listening: ['stream', 'watchlist', 'alerts', 'charts'],
  analytics: ['nps', 'operations', 'loyaltyBehaviour'],
};

export function ShellPage({ area }: { area: Area }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(`nav.${area}`)} subtitle={t(`shell.${area}.about`)} />
      <div className={area === 'inbox' ? 'grid inbox-panes' : 'grid'}>
        {PARTS[area].map((p) => (
          <Card key={p} title={t(`shell.${area}.${p}`)}>
            <Coming what={t(`nav.${area}`)} />
          </Card>
        ))}
      </div>
    </>
  );
}
