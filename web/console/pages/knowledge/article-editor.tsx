// One article in Chinese and English side by side: each language's title and text with its preview
// drawn as the help centre draws it, whether it is published and whether it is internal, and the
// category the translations share. Saving writes each changed language as a new version (a language
// not written yet becomes a translation of the article). Agents see the same screen read-only.
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Checkbox, ErrorNote, Loading, Problems, SelectField, TextArea, TextField } from '../../../shared/ui.js';
import { LANGUAGES, categoryName, useCategories, type Article } from './knowledge-data.js';
import { ArticleBody } from './render-article.js';
import { createArticle, getArticle, updateArticle } from '../../api/knowledge.js';

interface Pane {
  id?: string;
  language: string;
  title: string;
  body: string;
  isPublished: boolean;
  isInternal: boolean;
  version?: number;
}

const paneOf = (language: string, a?: Article): Pane => ({
  id: a?.id,
  language,
  title: a?.title ?? '',
  body: a?.body ?? '',
  isPublished: a?.status === 'published',
  isInternal: a?.visibility === 'internal',
  version: a?.version,
});

export function ArticleEditor({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const { id } = useParams();
  const article = useQuery({ queryKey: ['knowledge-article', id], enabled: !!id, queryFn: () => getArticle(id!) });
  const a = article.data;
  const languages = a && !(LANGUAGES as readonly string[]).includes(a.language) ? [a.language, ...LANGUAGES] : [...LANGUAGES];
  // The translations the editor shows beside this article (one query per language, in a fixed order).
  const idOf = (lang: string) => (a?.language === lang ? undefined : a?.translations.find((x) => x.language === lang)?.id);
  const first = useQuery({
    queryKey: ['knowledge-article', idOf(languages[0])],
    enabled: !!idOf(languages[0]),
    queryFn: () => getArticle(idOf(languages[0])!),
  });
  const second = useQuery({
    queryKey: ['knowledge-article', idOf(languages[1])],
    enabled: !!idOf(languages[1]),
    queryFn: () => getArticle(idOf(languages[1])!),
  });
  const third = useQuery({
    queryKey: ['knowledge-article', idOf(languages[2])],
    enabled: !!idOf(languages[2]),
    queryFn: () => getArticle(idOf(languages[2])!),
  });
  // A new article's first save moves to its own address: the notice travels with the navigation.
  const location = useLocation();
  const [saved, setSaved] = useState(() => !!(location.state as { saved?: boolean } | null)?.saved);
  if (id && article.isPending) return <Loading />;
  if (article.error) return <ErrorNote error={article.error} />;
  const loaded = [first, second, third].slice(0, languages.length);
  if (loaded.some((q) => q.isLoading)) return <Loading />;
  const byLanguage = new Map<string, Article>();
  for (const x of [a, ...loaded.map((q) => q.data)]) if (x) byLanguage.set(x.language, x);
  // Keyed on every version: after a save the form starts again from what was stored.
  const key = [...byLanguage.values()].map((x) => `${x.id}:${x.version}`).join(',') || 'new';
  return (
    <>
      {saved && (
        <p className="notice" role="status">
          {t('knowledge.saved')}
        </p>
      )}
      <Form key={key} languages={languages} byLanguage={byLanguage} canEdit={canEdit} onSaved={() => setSaved(true)} onChange={() => setSaved(false)} />
    </>
  );
}

function Form({
  languages,
  byLanguage,
  canEdit,
  onSaved,
  onChange,
}: {
  languages: string[];
  byLanguage: Map<string, Article>;
  canEdit: boolean;
  onSaved: () => void;
  onChange: () => void;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const categories = useCategories();
  const existing = [...byLanguage.values()];
  const [categoryId, setCategoryId] = useState(existing[0]?.category_id ?? '');
  // A new article may arrive from a content gap with the visitors' words as its title.
  const [panes, setPanes] = useState<Pane[]>(() =>
    languages.map((l) => {
      const p = paneOf(l, byLanguage.get(l));
      return !existing.length && params.get('language') === l ? { ...p, title: params.get('title') ?? '' } : p;
    }),
  );
  const setPane = (i: number, x: Partial<Pane>) => {
    onChange();
    setPanes(panes.map((p, j) => (j === i ? { ...p, ...x } : p)));
  };

  const save = useMutation({
    mutationFn: async () => {
      if (!panes.some((p) => p.id || p.title.trim())) throw new Error(t('knowledge.needsTitle'));
      let groupOf = existing[0]?.id;
      const written: Article[] = [];
      for (const p of panes) {
        const fields = {
          title: p.title.trim(),
          body: p.body,
          status: p.isPublished ? 'published' : 'draft',
          visibility: p.isInternal ? 'internal' : 'public',
          category_id: categoryId || null,
        };
        const before = p.id ? byLanguage.get(p.language) : undefined;
        if (before) {
          // Only what changed is sent: a PATCH that names nothing new makes no version.
          const patch = Object.fromEntries(Object.entries(fields).filter(([k, v]) => before[k as keyof Article] !== v));
          if (Object.keys(patch).length) written.push(await updateArticle(p.id!, patch));
        } else if (fields.title) {
          const created = await createArticle({ ...fields, language: p.language, ...(groupOf ? { translation_of: groupOf } : {}) });
          groupOf ??= created.id;
          written.push(created);
        }
      }
      return { written, firstId: groupOf! };
    },
    onSuccess: ({ written, firstId }) => {
      for (const w of written) qc.setQueryData(['knowledge-article', w.id], w);
      void qc.invalidateQueries({ queryKey: ['knowledge-article'] });
      void qc.invalidateQueries({ queryKey: ['knowledge-articles'] });
      onSaved();
      if (!existing.length) navigate(`/knowledge/articles/${firstId}`, { replace: true, state: { saved: true } });
    },
  });
  const categoryOptions = [
    { value: '', label: t('knowledge.noCategory') },
    ...(categories.data?.data ?? []).map((c) => ({ value: c.id, label: categoryName(c, i18n.language) })),
  ];
  const heading = existing.length ? existing[0].title : t('knowledge.newTitle');
  return (
    <Card title={canEdit ? (existing.length ? t('knowledge.editTitle') : t('knowledge.newTitle')) : heading}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {canEdit && (
          <SelectField
            label={t('knowledge.category')}
            value={categoryId}
            onChange={(e) => {
              onChange();
              setCategoryId(e.target.value);
            }}
            options={categoryOptions}
          />
        )}
        <div className="grid article-panes">
          {panes.map((p, i) => {
            const language = t(`knowledge.language.${p.language}`, { defaultValue: p.language });
            return (
              <div key={p.language} className="article-pane" data-language={p.language}>
                {canEdit ? (
                  <fieldset className="question">
                    <legend>
                      {t('knowledge.inLanguage', { language })}{' '}
                      {p.id && (
                        <Badge>
                          {t('knowledge.version')} {p.version}
                        </Badge>
                      )}
                    </legend>
                    <TextField label={t('knowledge.articleTitle')} value={p.title} onChange={(e) => setPane(i, { title: e.target.value })} lang={p.language} />
                    <TextArea label={t('knowledge.body')} rows={10} value={p.body} onChange={(v) => setPane(i, { body: v })} hint={t('knowledge.bodyHint')} />
                    <Checkbox label={t('knowledge.published')} checked={p.isPublished} onChange={(e) => setPane(i, { isPublished: e.target.checked })} />
                    <Checkbox label={t('knowledge.internal')} checked={p.isInternal} onChange={(e) => setPane(i, { isInternal: e.target.checked })} />
                    {p.id && (
                      <p>
                        <Link to={`/knowledge/articles/${p.id}/versions`}>{t('knowledge.versions', { version: p.version })}</Link>
                      </p>
                    )}
                  </fieldset>
                ) : (
                  <p>
                    <strong>{language}</strong>{' '}
                    {p.id ? (
                      <>
                        <Badge tone={p.isPublished ? 'good' : 'neutral'}>{t(`knowledge.status.${p.isPublished ? 'published' : 'draft'}`)}</Badge>{' '}
                        {p.isInternal && <Badge tone="warn">{t('knowledge.visibility.internal')}</Badge>}
                      </>
                    ) : (
                      <span className="muted">{t('knowledge.notWritten')}</span>
                    )}
                  </p>
                )}
                <section className="article-preview" aria-label={t('knowledge.preview', { language })} data-preview={p.language} lang={p.language}>
                  {p.title.trim() || p.body.trim() ? (
                    <>
                      <h2>{p.title}</h2>
                      <ArticleBody body={p.body} />
                    </>
                  ) : (
                    <p className="muted">{t('knowledge.emptyPreview')}</p>
                  )}
                </section>
              </div>
            );
          })}
        </div>
        {canEdit && (
          <>
            {save.error &&
              (save.error instanceof Error && !('status' in save.error) ? (
                <div className="alert" role="alert">
                  {save.error.message}
                </div>
              ) : (
                <Problems error={save.error} />
              ))}
            <Button type="submit" variant="primary" busy={save.isPending}>
              {t('knowledge.save')}
            </Button>
          </>
        )}
        <ErrorNote error={categories.error} />
      </form>
    </Card>
  );
}
