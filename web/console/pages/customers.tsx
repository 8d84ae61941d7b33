import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { customerName } from '../../shared/customer-name.js';
import { IDENTITY_KINDS, listCustomers } from '../api/customers.js';
import { Badge, Button, Empty, ErrorNote, Loading, PageHeader, SelectField, TextField, formatDateTime } from '../../shared/ui.js';

export function CustomersPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const core = params.get('core') ?? '';
  const kind = params.get('kind') ?? '';
  const [draft, setDraft] = useState({ q, core, kind });

  const list = useInfiniteQuery({
    queryKey: ['customers', q, core, kind],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      listCustomers({
        limit: 50,
        cursor: pageParam,
        is_core: core || undefined,
        ...(kind && q ? { identity_kind: kind, identity_value: q } : { q: q || undefined }),
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  function search(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    if (draft.q) next.set('q', draft.q);
    if (draft.core) next.set('core', draft.core);
    if (draft.kind) next.set('kind', draft.kind);
    setParams(next);
  }

  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <PageHeader title={t('customers.title')} subtitle={t('customers.subtitle')} />
      <form className="row" role="search" onSubmit={search}>
        <TextField
          label={t('customers.search')}
          name="q"
          type="search"
          value={draft.q}
          onChange={(e) => setDraft({ ...draft, q: e.target.value })}
          placeholder={t('customers.searchHint')}
        />
        <SelectField
          label={t('customers.searchBy')}
          value={draft.kind}
          onChange={(e) => setDraft({ ...draft, kind: e.target.value })}
          options={[{ value: '', label: t('customers.anyField') }, ...IDENTITY_KINDS.map((k) => ({ value: k, label: t(`identity.${k}`) }))]}
        />
        <SelectField
          label={t('customers.segment')}
          value={draft.core}
          onChange={(e) => setDraft({ ...draft, core: e.target.value })}
          options={[
            { value: '', label: t('customers.all') },
            { value: 'true', label: t('customers.coreOnly') },
            { value: 'false', label: t('customers.notCore') },
          ]}
        />
        <div className="field">
          <Button type="submit" variant="primary">
            {t('common.search')}
          </Button>
        </div>
      </form>
      <ErrorNote error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{t('customers.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('customers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customers.name')}</th>
                <th scope="col">{t('customers.value')}</th>
                <th scope="col">{t('customers.orders')}</th>
                <th scope="col">{t('customers.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/customers/${c.id}`}>{customerName(c, i18n.language)}</Link>
                    <div className="mono muted">{c.id}</div>
                  </td>
                  <td>{c.is_core ? <Badge tone="good">{t('customers.core')}</Badge> : <span className="muted">—</span>}</td>
                  <td>{c.order_count}</td>
                  <td>{formatDateTime(c.last_seen_at, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <p>
          <Button onClick={() => list.fetchNextPage()} busy={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </p>
      )}
    </>
  );
}
