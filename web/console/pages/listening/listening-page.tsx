// Listening: the mention stream with filters, the watch-list editor, crisis alerts, and the sentiment
// trend and share of voice charts.
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../shared/ui.js';
import { Alerts } from './alerts.js';
import { Charts } from './listening-charts.js';
import { Stream } from './mention-stream.js';
import { WatchList } from './watch-list.js';

export default function ListeningPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('listening.title')} subtitle={t('listening.subtitle')} />
      <Alerts />
      <Charts />
      <div className="listening-grid">
        <Stream />
        <WatchList />
      </div>
    </>
  );
}
