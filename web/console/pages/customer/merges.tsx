// Merging another customer into this one (after a side-by-side preview) and the merges so far.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNote, QueryState, TextField, formatDateTime } from '../../../shared/ui.js';
import { customerName } from '../../../shared/customer-name.js';
import { getCustomer, listMerges, mergeCustomer, type Customer } from '../../api/customers.js';

export function Merges({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const merges = useQuery({ queryKey: ['merges', c.id], queryFn: () => listMerges(c.id) });
  const [other, setOther] = useState('');
  const preview = useQuery({ queryKey: ['customer', other], queryFn: () => getCustomer(other), enabled: false });
  const merge = useMutation({
    mutationFn: () => mergeCustomer(c.id, other),
    onSuccess: () => {
      setOther('');
      void qc.invalidateQueries({ queryKey: ['customer', c.id] });
      void qc.invalidateQueries({ queryKey: ['merges', c.id] });
      void qc.invalidateQueries({ queryKey: ['customers'] });
    },
  });
  const lng = i18n.language;
  const candidate = preview.data && preview.data.id !== c.id ? preview.data : undefined;
  return (
    <>
      <Card title={t('merge.history')}>
        <QueryState query={merges} isEmpty={(d) => d.data.length === 0} empty={t('merge.none')}>
          {(d) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('merge.when')}</th>
                    <th>{t('merge.survivor')}</th>
                    <th>{t('merge.merged')}</th>
                    <th>{t('merge.rule')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.data.map((m) => (
                    <tr key={m.id}>
                      <td>{formatDateTime(m.at, lng)}</td>
                      <td className="mono">{m.survivor_id}</td>
                      <td className="mono">{m.merged_id}</td>
                      <td>{m.rule}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <Card title={t('merge.title')}>
        <p className="muted">{t('merge.explain')}</p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void preview.refetch();
          }}
        >
          <TextField label={t('merge.otherId')} value={other} onChange={(e) => setOther(e.target.value.trim())} placeholder="cus_..." />
          <div className="field">
            <Button type="submit" disabled={!other}>
              {t('merge.preview')}
            </Button>
          </div>
        </form>
        <ErrorNote error={preview.error} />
        {candidate && (
          <div className="grid">
            <MergeSide title={t('merge.keeps')} c={c} />
            <MergeSide title={t('merge.absorbs')} c={candidate} />
            <div>
              <Button variant="danger" busy={merge.isPending} onClick={() => merge.mutate()}>
                {t('merge.confirm', { other: customerName(candidate, lng) })}
              </Button>
              <ErrorNote error={merge.error} />
            </div>
          </div>
        )}
      </Card>
    </>
  );
}

function MergeSide({ title, c }: { title: string; c: Customer }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="card">
      <h3>
        {title}: {customerName(c, i18n.language)}
      </h3>
      <p className="mono muted">{c.id}</p>
      <ul className="plain">
        {c.identities.map((i) => (
          <li key={`${i.kind}:${i.value}`}>
            {t(`identity.${i.kind}`)}: <span className="mono">{i.value}</span>
          </li>
        ))}
      </ul>
      <p className="muted">
        {t('customer.events')}: {c.activity.event_count} · {t('customers.orders')}: {c.activity.order_count}
      </p>
    </div>
  );
}
