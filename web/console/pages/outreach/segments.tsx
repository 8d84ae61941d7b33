// The segments campaigns are aimed at: created from JSON rules, counted on demand.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, Problems, QueryState, TextArea, TextField } from '../../../shared/ui.js';
import { useSegments } from './outreach-data.js';
import { countSegment, createSegment } from '../../api/outreach.js';

export function Segments() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const segments = useSegments();
  const [name, setName] = useState('');
  const [raw, setRaw] = useState('{"field": "value.is_core", "op": "eq", "value": true}');
  let rules: unknown;
  try {
    rules = JSON.parse(raw);
  } catch {
    rules = undefined;
  }
  const count = useMutation({ mutationFn: () => countSegment(rules) });
  const create = useMutation({
    mutationFn: () => createSegment(name, rules),
    onSuccess: () => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['outreach-segments'] });
    },
  });
  return (
    <Card title={t('outreach.segments')}>
      <QueryState query={segments} isEmpty={(d) => d.data.length === 0} empty={t('outreach.noSegments')}>
        {(d) => (
          <ul className="plain">
            {d.data.map((s) => (
              <li key={s.id} data-segment={s.name}>
                {s.name}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <h3>{t('outreach.newSegment')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextField label={t('outreach.name')} value={name} onChange={(e) => setName(e.target.value)} />
        <TextArea
          label={t('outreach.rules')}
          rows={4}
          hint={t('outreach.rulesHint')}
          value={raw}
          onChange={(v) => {
            setRaw(v);
            count.reset();
          }}
          error={rules === undefined ? t('outreach.badJson') : undefined}
        />
        <Problems error={count.error ?? create.error} />
        {count.data && (
          <p role="status" data-count={count.data.count}>
            {t('outreach.counted', { count: count.data.count })}
          </p>
        )}
        <div className="row-inline">
          <Button busy={count.isPending} disabled={rules === undefined} onClick={() => count.mutate()}>
            {t('outreach.count')}
          </Button>
          <Button type="submit" variant="primary" busy={create.isPending} disabled={rules === undefined || !name.trim()}>
            {t('outreach.createSegment')}
          </Button>
        </div>
        {create.isSuccess && (
          <p className="notice" role="status">
            {t('outreach.segmentCreated')}
          </p>
        )}
      </form>
    </Card>
  );
}
