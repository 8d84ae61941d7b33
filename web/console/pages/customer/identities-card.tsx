// The customer's identities (email, phone, WeChat ids…): listed, added, removed.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Badge, Button, Card, Empty, ErrorNote, SelectField, TextField } from '../../../shared/ui.js';
import { IDENTITY_KINDS, addIdentity, removeIdentity, type Customer } from '../../api/customers.js';

export function IdentitiesCard({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<string>('email');
  const [value, setValue] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ['customer', c.id] });
  const add = useMutation({
    mutationFn: () => addIdentity(c.id, kind, value),
    onSuccess: () => {
      setValue('');
      void refresh();
    },
  });
  const remove = useMutation({ mutationFn: (i: { kind: string; value: string }) => removeIdentity(c.id, i.kind, i.value), onSuccess: () => void refresh() });
  return (
    <Card title={t('customer.identities')}>
      {c.identities.length === 0 ? (
        <Empty>{t('customer.noIdentities')}</Empty>
      ) : (
        <ul className="plain">
          {c.identities.map((i) => (
            <li key={`${i.kind}:${i.value}`} className="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
              <span>
                <Badge>{t(`identity.${i.kind}`)}</Badge> <span className="mono">{i.value}</span>
              </span>
              <Button variant="ghost" aria-label={t('customer.removeIdentity', { value: i.value })} onClick={() => remove.mutate(i)}>
                {t('common.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <SelectField
          label={t('customer.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          options={IDENTITY_KINDS.map((k) => ({ value: k, label: t(`identity.${k}`) }))}
        />
        <TextField
          label={t('customer.identityValue')}
          value={value}
          required
          onChange={(e) => setValue(e.target.value)}
          error={add.error instanceof ApiError ? (add.error.fieldMessage('value') ?? add.error.message) : undefined}
        />
        <div className="field">
          <Button type="submit" busy={add.isPending} disabled={!value}>
            {t('common.add')}
          </Button>
        </div>
      </form>
      <ErrorNote error={remove.error} />
    </Card>
  );
}
