import { useTranslation } from 'react-i18next';
import { Badge, formatDateTime } from '../../../shared/ui.js';
import { useNow } from '../../../shared/use-now.js';
import { formatSpan } from '../../../shared/format-span.js';
import type { Conversation } from '../../api/inbox.js';

/** The deadline that matters now: the first response until it is given, then the next response. */
export function nextDeadline(c: Conversation): { kind: 'firstResponse' | 'nextResponse' | 'resolution'; at: string } | null {
  if (c.status === 'resolved') return null;
  if (!c.sla.first_responded_at && c.sla.first_response_due_at) return { kind: 'firstResponse', at: c.sla.first_response_due_at };
  if (c.sla.next_response_due_at) return { kind: 'nextResponse', at: c.sla.next_response_due_at };
  if (c.sla.resolution_due_at) return { kind: 'resolution', at: c.sla.resolution_due_at };
  return null;
}

export function SlaCountdown({ c }: { c: Conversation }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const d = nextDeadline(c);
  if (!d)
    return c.sla.status === 'breached' ? (
      <Badge tone="bad">{t('inbox.sla.breached')}</Badge>
    ) : c.sla.policy_id ? (
      <Badge tone="good">{t('inbox.sla.met')}</Badge>
    ) : null;
  const left = new Date(d.at).getTime() - now;
  const tone = left < 0 ? 'bad' : left < 15 * 60_000 ? 'warn' : 'info';
  return (
    <span className="sla" data-sla={left < 0 ? 'overdue' : 'due'} title={`${t(`inbox.sla.${d.kind}`)} · ${formatDateTime(d.at, i18n.language)}`}>
      <Badge tone={tone}>
        {t(`inbox.sla.${d.kind}`)}: {left < 0 ? t('inbox.sla.overdue', { time: formatSpan(left) }) : t('inbox.sla.due', { time: formatSpan(left) })}
      </Badge>
    </span>
  );
}

export function ConversationRow({ c, isSelected, onOpen }: { c: Conversation; isSelected: boolean; onOpen: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <li>
      <button type="button" className="conv-row" aria-current={isSelected || undefined} onClick={onOpen} data-id={c.id}>
        <span className="conv-top">
          <strong>{c.subject || c.last_message?.text?.slice(0, 60) || t('inbox.noSubject')}</strong>
          {c.priority !== 'normal' && (
            <Badge tone={c.priority === 'urgent' ? 'bad' : c.priority === 'high' ? 'warn' : 'neutral'}>
              {t(`inbox.priority.${c.priority}`, { defaultValue: c.priority })}
            </Badge>
          )}
        </span>
        {c.subject && c.last_message && (
          <span className="conv-preview muted">
            {c.last_message.direction === 'out' ? '↩ ' : ''}
            {c.last_message.text}
          </span>
        )}
        <span className="conv-meta">
          <Badge>{t(`inbox.st.${c.status}`)}</Badge>
          {c.last_channel_kind && <span className="muted">{t(`channel.${c.last_channel_kind}`, { defaultValue: c.last_channel_kind })}</span>}
          <SlaCountdown c={c} />
          {c.tags.map((x) => (
            <Badge key={x} tone="info">
              {x}
            </Badge>
          ))}
          <span className="muted">{formatDateTime(c.last_message_at ?? c.created_at, i18n.language)}</span>
        </span>
      </button>
    </li>
  );
}
