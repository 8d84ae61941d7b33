// Categories group articles on the help centre: each has its name (and description) in Chinese and
// English, a slug for its address, an optional parent and a position.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Problems, QueryState, SelectField, Table, TextField } from '../../../shared/ui.js';
import { LANGUAGES, categoryName, useCategories, type Category } from './knowledge-data.js';
import { saveCategory } from '../../api/knowledge.js';

interface Form {
  slug: string;
  names: Record<string, string>;
  descriptions: Record<string, string>;
  parent_id: string;
  position: string;
}
const formOf = (c?: Category): Form => ({
  slug: c?.slug ?? '',
  names: { ...c?.names },
  descriptions: { ...c?.descriptions },
  parent_id: c?.parent_id ?? '',
  position: String(c?.position ?? 0),
});
const filled = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v.trim()));

export function CategoriesScreen() {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const list = categories.data?.data ?? [];
  const current = list.find((c) => c.id === editing);
  const open = (id: string | null) => {
    setSaved(false);
    setEditing(id);
  };
  return (
    <>
      <Card
        title={t('knowledge.categories')}
        actions={
          <Button variant="primary" onClick={() => open('new')}>
            {t('knowledge.newCategory')}
          </Button>
        }
      >
        <QueryState query={categories} isEmpty={() => list.length === 0} empty={t('knowledge.noCategories')}>
          {() => (
            <Table
              head={[
                ...LANGUAGES.map((l) => t('knowledge.nameIn', { language: t(`knowledge.language.${l}`) })),
                t('knowledge.slug'),
                t('knowledge.parent'),
                t('knowledge.position'),
                <span key="actions" className="visually-hidden">
                  {t('common.actions')}
                </span>,
              ]}
            >
              {list.map((c) => (
                <tr key={c.id} data-category={c.slug}>
                  {LANGUAGES.map((l) => (
                    <td key={l}>{c.names[l] ?? '—'}</td>
                  ))}
                  <td>{c.slug}</td>
                  <td>
                    {(() => {
                      const p = list.find((x) => x.id === c.parent_id);
                      return p ? categoryName(p, i18n.language) : '—';
                    })()}
                  </td>
                  <td>{c.position}</td>
                  <td>
                    <Button variant="ghost" aria-label={t('knowledge.editCategory', { name: categoryName(c, i18n.language) })} onClick={() => open(c.id)}>
                      {t('common.edit')}
                    </Button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
      </Card>
      {saved && (
        <p className="notice" role="status">
          {t('knowledge.categorySaved')}
        </p>
      )}
      {editing === 'new' && (
        <CategoryForm
          key="new"
          all={list}
          onSaved={() => {
            setEditing(null);
            setSaved(true);
          }}
        />
      )}
      {current && (
        <CategoryForm
          key={current.id}
          category={current}
          all={list}
          onSaved={() => {
            setEditing(null);
            setSaved(true);
          }}
        />
      )}
    </>
  );
}

function CategoryForm({ category, all, onSaved }: { category?: Category; all: Category[]; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [f, setF] = useState<Form>(() => formOf(category));
  const save = useMutation({
    mutationFn: () => {
      const names = { ...category?.names, ...filled(f.names) };
      const descriptions = { ...category?.descriptions, ...filled(f.descriptions) };
      for (const l of LANGUAGES) {
        if (!f.names[l]?.trim()) delete names[l];
        if (!f.descriptions[l]?.trim()) delete descriptions[l];
      }
      const body = {
        names,
        descriptions,
        parent_id: f.parent_id || null,
        position: Number(f.position) || 0,
        ...(f.slug.trim() ? { slug: f.slug.trim() } : {}),
      };
      return saveCategory(category?.id, body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['knowledge-categories'] });
      onSaved();
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const parents = all.filter((c) => c.id !== category?.id);
  return (
    <Card title={category ? t('knowledge.editCategory', { name: categoryName(category, i18n.language) }) : t('knowledge.newCategory')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="row">
          {LANGUAGES.map((l) => (
            <TextField
              key={l}
              lang={l}
              label={t('knowledge.nameIn', { language: t(`knowledge.language.${l}`) })}
              value={f.names[l] ?? ''}
              onChange={(e) => setF({ ...f, names: { ...f.names, [l]: e.target.value } })}
              error={err?.fieldMessage(`names.${l}`)}
            />
          ))}
        </div>
        <div className="row">
          {LANGUAGES.map((l) => (
            <TextField
              key={l}
              lang={l}
              label={t('knowledge.descriptionIn', { language: t(`knowledge.language.${l}`) })}
              value={f.descriptions[l] ?? ''}
              onChange={(e) => setF({ ...f, descriptions: { ...f.descriptions, [l]: e.target.value } })}
            />
          ))}
        </div>
        <div className="row">
          <TextField label={t('knowledge.slug')} value={f.slug} onChange={(e) => setF({ ...f, slug: e.target.value })} error={err?.fieldMessage('slug')} />
          <SelectField
            label={t('knowledge.parent')}
            value={f.parent_id}
            onChange={(e) => setF({ ...f, parent_id: e.target.value })}
            options={[{ value: '', label: t('knowledge.noParent') }, ...parents.map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))]}
            error={err?.fieldMessage('parent_id')}
          />
          <TextField
            type="number"
            min={0}
            label={t('knowledge.position')}
            value={f.position}
            onChange={(e) => setF({ ...f, position: e.target.value })}
            error={err?.fieldMessage('position')}
          />
        </div>
        <Problems error={save.error} />
        <Button type="submit" variant="primary" busy={save.isPending}>
          {category ? t('common.save') : t('knowledge.createCategory')}
        </Button>
      </form>
    </Card>
  );
}
