// The tenant's API keys: created with scopes (the token shown once), last used, revoked.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiKeyList, NewApiKey, NewApiKeyOut, Scope } from '../../../../src/platform/auth-contract.js';
import { api, get } from '../../../shared/api.js';
import { everyOf } from '../../../shared/contract.js';
import { Badge, Button, Card, Checkbox, ErrorNote, QueryState, TextField, formatDateTime } from '../../../shared/ui.js';

const SCOPES = everyOf<Scope>()(['ingest', 'read', 'write', 'admin']);

export function ApiKeys() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => get<ApiKeyList>('/v1/api-keys'),
  });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [token, setToken] = useState<string>();
  const create = useMutation({
    mutationFn: () => api<NewApiKeyOut>('POST', '/v1/api-keys', { name, scopes } satisfies NewApiKey),
    onSuccess: (r) => {
      setToken(r.token);
      setName('');
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/api-keys/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <>
      <Card title={t('settings.apiKeys')}>
        <QueryState query={keys} isEmpty={(d) => d.data.length === 0} empty={t('settings.noKeys')}>
          {(d) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('settings.name')}</th>
                    <th>{t('settings.scopes')}</th>
                    <th>{t('settings.lastUsed')}</th>
                    <th>{t('settings.status')}</th>
                    <th>
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.data.map((k) => (
                    <tr key={k.id}>
                      <td>
                        {k.name}
                        <div className="mono muted">{k.id}</div>
                      </td>
                      <td>
                        {k.scopes.map((s) => (
                          <Badge key={s}>{s}</Badge>
                        ))}
                      </td>
                      <td>{formatDateTime(k.last_used_at, i18n.language)}</td>
                      <td>{k.revoked_at ? <Badge tone="bad">{t('settings.revoked')}</Badge> : <Badge tone="good">{t('settings.active')}</Badge>}</td>
                      <td>
                        {!k.revoked_at && (
                          <Button variant="ghost" onClick={() => revoke.mutate(k.id)}>
                            {t('settings.revoke')}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <Card title={t('settings.newKey')}>
        {token && (
          <div className="notice" role="status">
            {t('settings.tokenOnce')} <code>{token}</code>
          </div>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <TextField label={t('settings.name')} value={name} onChange={(e) => setName(e.target.value)} required />
          <fieldset className="card" style={{ padding: 8 }}>
            <legend>{t('settings.scopes')}</legend>
            {SCOPES.map((s) => (
              <Checkbox
                key={s}
                label={`${s} — ${t(`scope.${s}`)}`}
                checked={scopes.includes(s)}
                onChange={() => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s])}
              />
            ))}
          </fieldset>
          <ErrorNote error={create.error} />
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name || !scopes.length}>
            {t('settings.createKey')}
          </Button>
        </form>
      </Card>
    </>
  );
}
