// The website widget: its key (rotated), the sites allowed to load it, and the feedback it collected.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../../shared/api.js';
import type { Channel } from './inbox-settings-data.js';
import { Badge, Button, Card, Empty, QueryState, formatDateTime } from '../../../shared/ui.js';
import { getWidgetSettings, listWidgetFeedback, saveWidgetSettings } from '../../api/widget.js';

export function Widget() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['widget-settings'], queryFn: () => getWidgetSettings() });
  const feedback = useQuery({
    queryKey: ['widget-feedback'],
    queryFn: () => listWidgetFeedback(50),
  });
  const [origins, setOrigins] = useState<string>();
  const save = useMutation({
    mutationFn: (rotate: boolean) =>
      saveWidgetSettings({
        allowed_origins: (origins ?? settings.data?.allowed_origins.join('\n') ?? '').split(/\s+/).filter(Boolean),
        rotate_key: rotate,
      }),
    onSuccess: (d) => {
      qc.setQueryData(['widget-settings'], d);
      setOrigins(undefined);
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  // With a web chat channel the widget also offers live chat, through that channel's socket.
  const channels = useQuery({ queryKey: ['inbox-channels'], queryFn: () => get<{ data: Channel[] }>('/v1/inbox/channels') });
  const chat = channels.data?.data.find((c) => c.kind === 'webchat' && c.is_enabled)?.webhook_urls?.widget_chat;
  const snippet = settings.data?.key
    ? `<script src="${location.origin}/widget.js" data-key="${settings.data.key}"${chat ? ` data-chat="${chat}"` : ''} async></script>`
    : '';
  return (
    <>
      <Card title={t('settings.widget')}>
        <QueryState query={settings}>
          {(s) => (
            <>
              <p className="muted">{t('settings.widgetExplain')}</p>
              {snippet ? (
                <pre className="card mono" style={{ whiteSpace: 'pre-wrap' }}>
                  {snippet}
                </pre>
              ) : (
                <Empty>{t('settings.widgetNoKey')}</Empty>
              )}
              <div className="field">
                <label htmlFor="widget-origins">{t('settings.allowedOrigins')}</label>
                <textarea
                  id="widget-origins"
                  rows={3}
                  value={origins ?? s.allowed_origins.join('\n')}
                  onChange={(e) => setOrigins(e.target.value)}
                  placeholder="https://www.example.com"
                />
                <small className={err ? 'field-error' : 'field-hint'}>{err?.fields[0]?.message ?? t('settings.originsHint')}</small>
              </div>
              <div className="row">
                <Button variant="primary" busy={save.isPending} onClick={() => save.mutate(false)}>
                  {s.key ? t('common.save') : t('settings.widgetCreate')}
                </Button>
                {s.key && <Button onClick={() => save.mutate(true)}>{t('settings.rotateKey')}</Button>}
              </div>
            </>
          )}
        </QueryState>
      </Card>
      <Card title={t('settings.widgetFeedback')}>
        <QueryState query={feedback} isEmpty={(d) => d.data.length === 0} empty={t('settings.noFeedback')}>
          {(d) => (
            <ul className="plain timeline">
              {d.data.map((f) => (
                <li key={f.id}>
                  <strong>{f.text}</strong>
                  {f.rating !== null && (
                    <>
                      {' '}
                      <Badge>{f.rating}/5</Badge>
                    </>
                  )}
                  <div className="when">
                    {f.page_url} · {formatDateTime(f.created_at, i18n.language)}
                    {f.email && <> · {t('settings.feedbackEmail', { email: f.email })}</>}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Card>
    </>
  );
}
