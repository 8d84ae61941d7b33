// The articles: every article newest change first, filtered by language, status, visibility and
// category; or, with a query, the agents' own search (Chinese-aware, synonyms, corrections).
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Empty, ErrorNote, Loading, SelectField, Table, TextField, formatDateTime } from '../../../shared/ui.js';
import { ALL_LANGUAGES, categoryName, useCategories } from './knowledge-data.js';
import { Marked } from './render-article.js';
import { listArticles, searchArticles } from '../../api/knowledge.js';

export function ArticlesScreen({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const filters = {
    language: params.get('language') ?? '',
    status: params.get('status') ?? '',
    visibility: params.get('visibility') ?? '',
    category_id: params.get('category') ?? '',
  };
  const categories = useCategories();
  return (
    <Card
      title={t('knowledge.articles')}
      actions={
        canEdit && (
          <Link className="btn btn-primary" to="/knowledge/articles/new">
            {t('knowledge.newArticle')}
          </Link>
        )
      }
    >
      <form
        role="search"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          set('q', typed.trim());
        }}
      >
        <TextField type="search" label={t('knowledge.search')} hint={t('knowledge.searchHint')} value={typed} onChange={(e) => setTyped(e.target.value)} />
        <div className="field">
          <Button type="submit" variant="primary">
            {t('common.search')}
          </Button>
        </div>
        {q && (
          <div className="field">
            <Button
              variant="ghost"
              onClick={() => {
                setTyped('');
                set('q', '');
              }}
            >
              {t('knowledge.clear')}
            </Button>
          </div>
        )}
      </form>
      <div className="row">
        <SelectField
          label={t('common.language')}
          value={filters.language}
          onChange={(e) => set('language', e.target.value)}
          options={[{ value: '', label: t('knowledge.anyLanguage') }, ...ALL_LANGUAGES.map((l) => ({ value: l, label: t(`knowledge.language.${l}`) }))]}
        />
        <SelectField
          label={t('knowledge.category')}
          value={filters.category_id}
          onChange={(e) => set('category', e.target.value)}
          options={[
            { value: '', label: t('knowledge.anyCategory') },
            ...(categories.data?.data ?? []).map((c) => ({ value: c.id, label: categoryName(c, i18n.language) })),
          ]}
        />
        {!q && (
          <SelectField
            label={t('knowledge.statusLabel')}
            value={filters.status}
            onChange={(e) => set('status', e.target.value)}
            options={[
              { value: '', label: t('knowledge.anyStatus') },
              { value: 'draft', label: t('knowledge.status.draft') },
              { value: 'published', label: t('knowledge.status.published') },
            ]}
          />
        )}
        {!q && (
          <SelectField
            label={t('knowledge.visibilityLabel')}
            value={filters.visibility}
            onChange={(e) => set('visibility', e.target.value)}
            options={[
              { value: '', label: t('knowledge.anyVisibility') },
              { value: 'public', label: t('knowledge.visibility.public') },
              { value: 'internal', label: t('knowledge.visibility.internal') },
            ]}
          />
        )}
      </div>
      {q ? <SearchResults q={q} language={filters.language} categoryId={filters.category_id} /> : <ArticleList filters={filters} />}
    </Card>
  );
}

function SearchResults({ q, language, categoryId }: { q: string; language: string; categoryId: string }) {
  const { t } = useTranslation();
  const found = useQuery({
    queryKey: ['knowledge-search', q, language, categoryId],
    queryFn: () => searchArticles({ q, language, category_id: categoryId, limit: 30 }),
  });
  if (found.isPending) return <Loading />;
  if (found.error) return <ErrorNote error={found.error} />;
  const { results, corrections } = found.data;
  return (
    <section aria-label={t('knowledge.results')}>
      {corrections.length > 0 && <p className="muted">{t('knowledge.corrected', { words: corrections.map((c) => c.to).join(', ') })}</p>}
      {results.length === 0 ? (
        <Empty>{t('knowledge.noResults')}</Empty>
      ) : (
        <ol className="plain search-results">
          {results.map((h) => (
            <li key={h.id} data-article={h.id}>
              <Link to={`/knowledge/articles/${h.id}`}>
                <Marked html={h.title_html} />
              </Link>{' '}
              <Badge>{t(`knowledge.language.${h.language}`, { defaultValue: h.language })}</Badge>{' '}
              {h.visibility === 'internal' && <Badge tone="warn">{t('knowledge.visibility.internal')}</Badge>}
              <p className="muted snippet">
                <Marked html={h.snippet_html} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ArticleList({ filters }: { filters: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const list = useInfiniteQuery({
    queryKey: ['knowledge-articles', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => listArticles({ ...filters, limit: 50, cursor: pageParam }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorNote error={list.error} />;
  const rows = list.data.pages.flatMap((p) => p.data);
  if (!rows.length) return <Empty>{t('knowledge.none')}</Empty>;
  const nameOf = (id: string | null) => {
    const c = categories.data?.data.find((x) => x.id === id);
    return c ? categoryName(c, i18n.language) : '—';
  };
  return (
    <>
      <Table
        head={[
          t('knowledge.articleTitle'),
          t('common.language'),
          t('knowledge.category'),
          t('knowledge.statusLabel'),
          t('knowledge.version'),
          t('knowledge.updated'),
        ]}
      >
        {rows.map((a) => (
          <tr key={a.id} data-article={a.id}>
            <td>
              <Link to={`/knowledge/articles/${a.id}`}>{a.title}</Link>
            </td>
            <td>{t(`knowledge.language.${a.language}`, { defaultValue: a.language })}</td>
            <td>{nameOf(a.category_id)}</td>
            <td>
              <Badge tone={a.status === 'published' ? 'good' : 'neutral'}>{t(`knowledge.status.${a.status}`, { defaultValue: a.status })}</Badge>{' '}
              {a.visibility === 'internal' && <Badge tone="warn">{t('knowledge.visibility.internal')}</Badge>}
            </td>
            <td>{a.version}</td>
            <td>{formatDateTime(a.updated_at, i18n.language)}</td>
          </tr>
        ))}
      </Table>
      {list.hasNextPage && (
        <Button variant="ghost" onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
          {t('knowledge.loadMore')}
        </Button>
      )}
    </>
  );
}
