// The watch-list: the terms listened for, each with its angle (company, brand, competitor…).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { ANGLES, addWatchTerm, listWatchTerms, removeWatchTerm } from '../../api/listening.js';
import { Badge, Button, Card, ErrorNote, QueryState, SelectField, TextField } from '../../../shared/ui.js';

export function WatchList() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const terms = useQuery({ queryKey: ['watch-terms'], queryFn: () => listWatchTerms() });
  const [f, setF] = useState({ angle: 'brand', term: '', aliases: '' });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['watch-terms'] });
  const add = useMutation({
    mutationFn: () =>
      addWatchTerm({
        angle: f.angle,
        term: f.term,
        aliases: f.aliases
          .split(/[,，]/)
          .map((x) => x.trim())
          .filter(Boolean),
      }),
    onSuccess: () => {
      setF({ ...f, term: '', aliases: '' });
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => removeWatchTerm(id), onSuccess: refresh });
  const err = add.error instanceof ApiError ? add.error : undefined;
  return (
    <Card title={t('listening.watchlist')}>
      <p className="muted">{t('listening.watchExplain')}</p>
      <QueryState query={terms} isEmpty={(d) => d.data.length === 0} empty={t('listening.noTerms')}>
        {(d) => (
          <ul className="plain watch-terms">
            {d.data.map((x) => (
              <li key={x.id} data-term={x.term}>
                <Badge tone="info">{t(`listening.angles.${x.angle}`, { defaultValue: x.angle })}</Badge> <strong>{x.term}</strong>
                {x.aliases.length > 0 && <span className="muted"> ({x.aliases.join(', ')})</span>}{' '}
                <Button variant="ghost" onClick={() => remove.mutate(x.id)}>
                  {t('listening.removeTerm', { term: x.term })}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <SelectField
          label={t('listening.angle')}
          value={f.angle}
          onChange={(e) => setF({ ...f, angle: e.target.value })}
          options={ANGLES.map((a) => ({ value: a, label: t(`listening.angles.${a}`) }))}
        />
        <p className="muted angle-definition" data-angle={f.angle}>
          {t(`listening.angleDefs.${f.angle}`)}
        </p>
        <TextField label={t('listening.term')} value={f.term} onChange={(e) => setF({ ...f, term: e.target.value })} error={err?.fieldMessage('term')} />
        <TextField label={t('listening.aliases')} value={f.aliases} onChange={(e) => setF({ ...f, aliases: e.target.value })} />
        {err && !err.fields.length && <ErrorNote error={err} />}
        <Button type="submit" busy={add.isPending} disabled={!f.term.trim()}>
          {t('listening.addTerm')}
        </Button>
      </form>
      <details className="angle-glossary">
        <summary>{t('listening.anglesExplained')}</summary>
        <dl>
          {ANGLES.map((a) => (
            <div key={a} data-angle={a}>
              <dt>{t(`listening.angles.${a}`)}</dt>
              <dd>{t(`listening.angleDefs.${a}`)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </Card>
  );
}
