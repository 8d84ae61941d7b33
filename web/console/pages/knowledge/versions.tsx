// An article's versions, newest first, with who saved each and when; any version can be shown as the
// help centre would draw it and, by a manager, restored (as a new version: nothing is ever lost).
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, ErrorNote, Loading, QueryState, Table, formatDateTime } from '../../../shared/ui.js';
import { ArticleBody } from './render-article.js';
import { getArticle, getVersion, listVersions, restoreVersion } from '../../api/knowledge.js';

export function VersionsScreen({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const article = useQuery({ queryKey: ['knowledge-article', id], queryFn: () => getArticle(id) });
  const versions = useQuery({ queryKey: ['knowledge-versions', id], queryFn: () => listVersions(id) });
  const [shown, setShown] = useState<number | null>(null);
  const body = useQuery({
    queryKey: ['knowledge-version', id, shown],
    enabled: shown !== null,
    queryFn: () => getVersion(id, shown!),
  });
  const restore = useMutation({
    mutationFn: (version: number) => restoreVersion(id, version),
    onSuccess: (a) => {
      qc.setQueryData(['knowledge-article', id], a);
      void qc.invalidateQueries({ queryKey: ['knowledge-versions', id] });
      void qc.invalidateQueries({ queryKey: ['knowledge-articles'] });
    },
  });
  if (article.isPending || versions.isPending) return <Loading />;
  if (article.error || versions.error) return <ErrorNote error={article.error ?? versions.error} />;
  const a = article.data;
  return (
    <>
      <p>
        <Link to={`/knowledge/articles/${id}`}>{t('knowledge.back')}</Link>
      </p>
      {restore.isSuccess && (
        <p className="notice" role="status">
          {t('knowledge.restored', { version: restore.variables })}
        </p>
      )}
      <ErrorNote error={restore.error} />
      <Card title={t('knowledge.versionsOf', { title: a.title })}>
        {canEdit && <p className="muted">{t('knowledge.restoreHint')}</p>}
        <Table
          head={[
            t('knowledge.version'),
            t('knowledge.articleTitle'),
            t('knowledge.statusLabel'),
            t('knowledge.author'),
            t('knowledge.when'),
            <span key="actions" className="visually-hidden">
              {t('common.actions')}
            </span>,
          ]}
        >
          {versions.data.data.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>
                {v.version} {v.version === a.version && <Badge tone="info">{t('knowledge.current')}</Badge>}
              </td>
              <td>{v.title}</td>
              <td>
                {t(`knowledge.status.${v.status}`, { defaultValue: v.status })} · {t(`knowledge.visibility.${v.visibility}`, { defaultValue: v.visibility })}
              </td>
              <td>
                {v.author_type}: {v.author_id}
              </td>
              <td>{formatDateTime(v.created_at, i18n.language)}</td>
              <td>
                <Button variant="ghost" onClick={() => setShown(v.version)}>
                  {t('knowledge.show')}
                </Button>
                {canEdit && v.version !== a.version && (
                  <Button
                    aria-label={t('knowledge.restoreLabel', { version: v.version })}
                    busy={restore.isPending && restore.variables === v.version}
                    onClick={() => restore.mutate(v.version)}
                  >
                    {t('knowledge.restore')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </Card>
      {shown !== null && (
        <Card title={t('knowledge.showing', { version: shown })}>
          <QueryState query={body}>
            {(v) => (
              <section className="article-preview" data-preview-version={shown} lang={a.language}>
                <h2>{v.title}</h2>
                <ArticleBody body={v.body} />
              </section>
            )}
          </QueryState>
        </Card>
      )}
    </>
  );
}
