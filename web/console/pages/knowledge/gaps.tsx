// Content gaps: what visitors searched for without finding an answer, biggest need first, each with
// a way to start the article that would answer it (the editor opens with the visitors' words).
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { qs } from '../../../shared/api.js';
import { Card, QueryState, SelectField, Table, formatDateTime, formatNumber } from '../../../shared/ui.js';
import { languageOfText } from './knowledge-data.js';
import { listGaps } from '../../api/knowledge.js';

export function GapsScreen() {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState('30');
  const gaps = useQuery({ queryKey: ['knowledge-gaps', days], queryFn: () => listGaps({ days: Number(days), limit: 100 }) });
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <Card title={t('knowledge.gaps')}>
      <p className="muted">{t('knowledge.gapsExplain')}</p>
      <SelectField
        label={t('knowledge.days')}
        value={days}
        onChange={(e) => setDays(e.target.value)}
        options={['7', '30', '90', '365'].map((d) => ({ value: d, label: t('knowledge.daysOption', { count: Number(d) }) }))}
      />
      <QueryState query={gaps} isEmpty={(d) => d.data.length === 0} empty={t('knowledge.noGaps')}>
        {(d) => (
          <Table
            head={[
              t('knowledge.query'),
              t('knowledge.searches'),
              t('knowledge.noResult'),
              t('knowledge.followedByChat'),
              t('knowledge.lastSearched'),
              <span key="actions" className="visually-hidden">
                {t('common.actions')}
              </span>,
            ]}
          >
            {d.data.map((g) => {
              // The visitors' own words decide the article's language: Chinese script, else English.
              const language = languageOfText(g.query);
              const others = g.queries.filter((x) => x !== g.query);
              return (
                <tr key={g.query} data-gap={g.query}>
                  <td>
                    <strong>{g.query}</strong>
                    {others.length > 0 && (
                      <div className="muted">
                        {t('knowledge.alsoAsked')}: {others.slice(0, 5).join(' · ')}
                      </div>
                    )}
                  </td>
                  <td>{n(g.searches)}</td>
                  <td>{n(g.no_result)}</td>
                  <td>{n(g.followed_by_chat)}</td>
                  <td>{formatDateTime(g.last_searched_at, i18n.language)}</td>
                  <td>
                    <Link
                      className="btn btn-secondary"
                      aria-label={t('knowledge.writeFor', { query: g.query })}
                      to={`/knowledge/articles/new${qs({ title: g.query, language })}`}
                    >
                      {t('knowledge.write')}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </QueryState>
    </Card>
  );
}
