// What an agent does to a conversation besides answering it, as the inbox API allows: priority, tags,
// pending and snooze, taking it from the queue, merging another conversation into it; and the files
// customers sent, shown on their messages.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, ErrorNote, SelectField, formatDateTime, formatNumber } from '../../../shared/ui.js';
import {
  listConversations,
  mergeConversation,
  pickConversation,
  updateConversation,
  type Attachment,
  type Conversation,
  type Priority,
} from '../../api/inbox.js';
import { everyOf } from '../../../shared/contract.js';
import type { ConversationPatch } from '../../../../src/modules/inbox/contract.js';

const PRIORITIES = everyOf<Priority>()(['low', 'normal', 'high', 'urgent']);

/** Tomorrow at 09:00 local time, as a datetime-local value: the usual "come back to it" time. */
function tomorrowMorning(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function Triage({ c, agentId, onDone }: { c: Conversation; agentId?: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [tag, setTag] = useState('');
  const [until, setUntil] = useState(tomorrowMorning);
  const patch = useMutation({ mutationFn: (body: ConversationPatch) => updateConversation(c.id, body), onSuccess: onDone });
  const pick = useMutation({ mutationFn: () => pickConversation(c.id, agentId), onSuccess: onDone });
  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const v = tag.trim();
    if (!v || c.tags.includes(v)) {
      setTag('');
      return;
    }
    patch.mutate({ tags: [...c.tags, v] }, { onSuccess: () => setTag('') });
  };
  const isOpen = c.status !== 'resolved';
  return (
    <div className="triage" aria-label={t('inbox.triage')} role="group">
      <div className="row">
        <SelectField
          label={t('inbox.priorityLabel')}
          value={c.priority}
          disabled={patch.isPending}
          onChange={(e) => patch.mutate({ priority: e.target.value as Priority })}
          options={PRIORITIES.map((p) => ({ value: p, label: t(`inbox.priority.${p}`) }))}
        />
        <form className="field tag-form" onSubmit={addTag}>
          <label htmlFor={`tag-${c.id}`}>{t('inbox.addTag')}</label>
          <span className="tag-input">
            <input id={`tag-${c.id}`} value={tag} maxLength={64} onChange={(e) => setTag(e.target.value)} />
            <Button type="submit" disabled={!tag.trim()}>
              {t('inbox.tagAdd')}
            </Button>
          </span>
        </form>
      </div>
      <ul className="plain tags" aria-label={t('inbox.tags')}>
        {c.tags.map((x) => (
          <li key={x}>
            <Badge tone="info">
              {x}{' '}
              <button
                type="button"
                className="tag-x"
                aria-label={t('inbox.removeTag', { tag: x })}
                onClick={() => patch.mutate({ tags: c.tags.filter((y) => y !== x) })}
              >
                ×
              </button>
            </Badge>
          </li>
        ))}
      </ul>
      {isOpen && (
        <div className="row-inline status-actions">
          {c.status === 'snoozed' && c.snoozed_until && (
            <span className="muted">{t('inbox.snoozedUntil', { time: formatDateTime(c.snoozed_until, i18n.language) })}</span>
          )}
          {c.status !== 'open' && (
            <Button onClick={() => patch.mutate({ status: 'open' })}>{c.status === 'snoozed' ? t('inbox.wake') : t('inbox.markOpen')}</Button>
          )}
          {c.status === 'open' && <Button onClick={() => patch.mutate({ status: 'pending' })}>{t('inbox.markPending')}</Button>}
          <form
            className="row-inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (until) patch.mutate({ status: 'snoozed', snoozed_until: new Date(until).toISOString() });
            }}
          >
            <label htmlFor={`snooze-${c.id}`}>{t('inbox.snoozeUntil')}</label>
            <input id={`snooze-${c.id}`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
            <Button type="submit" disabled={!until}>
              {t('inbox.snooze')}
            </Button>
          </form>
          {!c.assignee_id && agentId && (
            <Button onClick={() => pick.mutate()} busy={pick.isPending}>
              {t('inbox.take')}
            </Button>
          )}
        </div>
      )}
      <ErrorNote error={patch.error ?? pick.error} />
    </div>
  );
}

/** Another conversation (the same customer's, or one in the open list) merged into this one: its messages move here. */
export function MergeInto({ c, onDone }: { c: Conversation; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const [source, setSource] = useState('');
  const candidates = useQuery({
    queryKey: ['merge-candidates', c.id],
    enabled: isOpen,
    queryFn: async () => {
      const mine = await listConversations({ customer_id: c.customer_id ?? undefined, limit: 50 });
      const open = await listConversations({ status: 'open', limit: 50 });
      const seen = new Set<string>([c.id]);
      return [...mine.data, ...open.data].filter((x) => !x.merged_into && !seen.has(x.id) && seen.add(x.id));
    },
  });
  const merge = useMutation({
    mutationFn: () => mergeConversation(c.id, source),
    onSuccess: () => {
      setSource('');
      onDone(c.id);
    },
  });
  const list = candidates.data ?? [];
  return (
    <details className="merge" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t('inbox.merge')}</summary>
      {candidates.isSuccess && list.length === 0 ? (
        <p className="muted">{t('inbox.mergeNone')}</p>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (source) merge.mutate();
          }}
        >
          <SelectField
            label={t('inbox.mergePick')}
            value={source}
            onChange={(e) => setSource(e.target.value)}
            options={[
              { value: '', label: '—' },
              ...list.map((x) => ({
                value: x.id,
                label: `${x.subject || x.last_message?.text?.slice(0, 50) || x.id} · ${t(`inbox.st.${x.status}`)}${x.customer_id === c.customer_id ? ` · ${t('inbox.sameCustomer')}` : ''}`,
              })),
            ]}
          />
          <div className="field">
            <Button type="submit" variant="danger" disabled={!source} busy={merge.isPending}>
              {t('inbox.doMerge')}
            </Button>
          </div>
        </form>
      )}
      <ErrorNote error={merge.error ?? candidates.error} />
    </details>
  );
}

const fileSize = (n: number | null, lng: string) =>
  n == null
    ? ''
    : n < 1024
      ? `${formatNumber(n, lng)} B`
      : n < 1024 * 1024
        ? `${formatNumber(n / 1024, lng, { maximumFractionDigits: 0 })} KB`
        : `${formatNumber(n / 1024 / 1024, lng, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;

/** Images as thumbnails, other files as links; both download through the API (the session cookie goes along). */
export function Attachments({ items }: { items: Attachment[] }) {
  const { t, i18n } = useTranslation();
  if (!items.length) return null;
  return (
    <ul className="plain attachments" aria-label={t('inbox.attachments')}>
      {items.map((a) => {
        const href = `/v1/inbox/attachments/${encodeURIComponent(a.id)}`;
        const name = a.filename ?? t('inbox.attachment');
        return (
          <li key={a.id}>
            <a href={href} target="_blank" rel="noreferrer" download={a.filename ?? undefined}>
              {a.content_type?.startsWith('image/') && <img src={href} alt={name} loading="lazy" />}
              <span>
                {name} <span className="muted">{fileSize(a.size, i18n.language)}</span>
              </span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
