// The inbox's channels, with the URLs and secrets to paste into each provider.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.js';
import { Badge, Button, Card, Problems, QueryState, SelectField, TextField } from '../../../shared/ui.js';
import { type Channel, FIELDS, KINDS, type Kind, useList } from './inbox-settings-data.js';

export function ChannelsSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const channels = useList<Channel>('inbox-channels', '/v1/inbox/channels');
  const [kind, setKind] = useState<Kind>('webchat');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [isSandbox, setSandbox] = useState(false);
  const [created, setCreated] = useState<Channel | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['inbox-channels'] });
  const create = useMutation({
    mutationFn: () => {
      const settings: Record<string, unknown> = {};
      const secrets: Record<string, string> = {};
      for (const f of FIELDS[kind].settings)
        if (values[f]?.trim()) settings[f] = f === 'allowed_origins' ? values[f].split(/\s+/).filter(Boolean) : values[f].trim();
      for (const f of FIELDS[kind].secrets) if (values[f]?.trim()) secrets[f] = values[f].trim();
      return api<Channel>('POST', '/v1/inbox/channels', { kind, name, settings, secrets, is_sandbox: isSandbox });
    },
    onSuccess: (c) => {
      setCreated(c);
      setName('');
      setValues({});
      setSandbox(false);
      refresh();
    },
  });
  const toggle = useMutation({ mutationFn: (c: Channel) => api('PATCH', `/v1/inbox/channels/${c.id}`, { is_enabled: !c.is_enabled }), onSuccess: refresh });
  const sandbox = useMutation({ mutationFn: (c: Channel) => api('PATCH', `/v1/inbox/channels/${c.id}`, { is_sandbox: !c.is_sandbox }), onSuccess: refresh });
  // A secret Rapport generated comes back in full exactly once, in the answer that created the channel.
  const shownOnce = created ? Object.entries(created.secrets).filter(([, v]) => !v.startsWith('••')) : [];
  return (
    <>
      <Card title={t('inboxSettings.channels')}>
        <QueryState query={channels} isEmpty={(d) => d.data.length === 0} empty={t('inboxSettings.noChannels')}>
          {(d) => (
            <ul className="plain channel-list">
              {d.data.map((c) => (
                <li key={c.id} className="channel" data-channel={c.name}>
                  <div className="conv-top">
                    <strong>{c.name}</strong>
                    <span>
                      <Badge>{t(`inboxSettings.kinds.${c.kind}`)}</Badge>{' '}
                      <Badge tone={c.is_enabled ? 'good' : 'neutral'}>{c.is_enabled ? t('inboxSettings.enabled') : t('inboxSettings.disabled')}</Badge>
                      {c.is_sandbox && c.kind !== 'webchat' && (
                        <>
                          {' '}
                          <Badge tone="warn">{t('inboxSettings.sandbox')}</Badge>
                        </>
                      )}
                    </span>
                  </div>
                  <dl className="kv">
                    {Object.entries(c.webhook_urls ?? {}).map(([k, v]) => (
                      <UrlRow key={k} label={t(`inboxSettings.url.${k}`, { defaultValue: k })} value={v} />
                    ))}
                    {Object.entries(c.secrets).map(([k, v]) => (
                      <UrlRow key={k} label={t(`inboxSettings.field.${k}`, { defaultValue: k })} value={v} />
                    ))}
                  </dl>
                  {c.is_sandbox && c.kind !== 'webchat' && <p className="muted">{t('inboxSettings.sandboxHint')}</p>}
                  <Button variant="ghost" onClick={() => toggle.mutate(c)}>
                    {c.is_enabled ? t('inboxSettings.disable') : t('inboxSettings.enable')}
                  </Button>{' '}
                  {c.kind !== 'webchat' && (
                    <Button variant="ghost" onClick={() => sandbox.mutate(c)} busy={sandbox.isPending && sandbox.variables?.id === c.id}>
                      {c.is_sandbox ? t('inboxSettings.sandboxOff') : t('inboxSettings.sandboxOn')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Card>
      <Card title={t('inboxSettings.addChannel')}>
        {shownOnce.length > 0 && (
          <div className="notice" role="status">
            {t('inboxSettings.secretOnce')}
            {shownOnce.map(([k, v]) => (
              <div key={k}>
                {t(`inboxSettings.field.${k}`, { defaultValue: k })}: <code data-secret={k}>{v}</code>
              </div>
            ))}
          </div>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <div className="row">
            <SelectField
              label={t('inboxSettings.kind')}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Kind);
                setValues({});
              }}
              options={KINDS.map((k) => ({ value: k, label: t(`inboxSettings.kinds.${k}`) }))}
            />
            <TextField label={t('inboxSettings.name')} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="row">
            {[...FIELDS[kind].settings, ...FIELDS[kind].secrets].map((f) =>
              f === 'allowed_origins' ? (
                <div className="field" key={f}>
                  <label htmlFor="ch-origins">{t('inboxSettings.field.allowed_origins')}</label>
                  <textarea
                    id="ch-origins"
                    rows={2}
                    value={values[f] ?? ''}
                    onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                    placeholder="https://www.example.com"
                  />
                </div>
              ) : (
                <TextField
                  key={f}
                  label={t(`inboxSettings.field.${f}`)}
                  type={FIELDS[kind].secrets.includes(f) ? 'password' : 'text'}
                  autoComplete="off"
                  value={values[f] ?? ''}
                  onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                />
              ),
            )}
          </div>
          {kind !== 'webchat' && (
            <label className="check">
              <input type="checkbox" checked={isSandbox} onChange={(e) => setSandbox(e.target.checked)} /> {t('inboxSettings.sandboxNew')}
            </label>
          )}
          <Problems error={create.error} />
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
            {t('inboxSettings.addChannel')}
          </Button>
        </form>
      </Card>
    </>
  );
}

function UrlRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code>{value}</code>
      </dd>
    </>
  );
}
