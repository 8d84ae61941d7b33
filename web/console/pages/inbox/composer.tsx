// The reply and note composer, with the canned replies and articles that may answer the last inbound message.
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, ErrorNote, SelectField } from '../../../shared/ui.js';
import { ArticleSuggestions } from './article-suggestions.js';
import { addNote, listCannedReplies, sendReply, type CannedReplyView as CannedReply } from '../../api/inbox.js';
import { suggestForMessage } from '../../api/knowledge.js';

export function Composer({ id, agentId, lastInbound, onSent }: { id: string; agentId?: string; lastInbound: string; onSent: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<CannedReply | null>(null);
  const replies = useQuery({ queryKey: ['canned-replies'], queryFn: () => listCannedReplies() });
  const suggestions = useQuery({
    queryKey: ['suggestions', lastInbound],
    enabled: !!lastInbound.trim(),
    queryFn: () => suggestForMessage(lastInbound.slice(0, 10_000), 3),
  });
  const send = useMutation({
    mutationFn: () =>
      mode === 'note'
        ? addNote(id, { text, ...(agentId ? { agent_id: agentId } : {}) })
        : // An unchanged canned reply is sent by id, so the server fills its variables ({{customer.name}}).
          sendReply(
            id,
            canned && canned.body === text
              ? { canned_reply_id: canned.id, ...(agentId ? { agent_id: agentId } : {}) }
              : { text, ...(agentId ? { agent_id: agentId } : {}) },
          ),
    onSuccess: () => {
      setText('');
      setCanned(null);
      onSent();
    },
  });
  const insert = (r: CannedReply | undefined) => {
    if (!r) return;
    setText(r.body);
    setCanned(r);
    setMode('reply');
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && text.trim()) {
      e.preventDefault();
      send.mutate();
    }
  };
  const byId = useMemo(() => new Map((replies.data?.data ?? []).map((r) => [r.id, r])), [replies.data]);
  const suggested = (suggestions.data?.canned_replies ?? []).filter((s) => byId.has(s.id));
  return (
    <form
      className="composer"
      aria-label={t('inbox.composer')}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) send.mutate();
      }}
    >
      <fieldset className="mode">
        <legend className="visually-hidden">{t('inbox.mode')}</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'reply'} onChange={() => setMode('reply')} /> {t('inbox.modeReply')}
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'note'} onChange={() => setMode('note')} /> {t('inbox.modeNote')}
        </label>
      </fieldset>
      {suggested.length > 0 && (
        <div className="suggestions" role="region" aria-label={t('inbox.suggested')}>
          <span className="muted">{t('inbox.suggested')}:</span>
          {suggested.map((s) => (
            <Button key={s.id} variant="ghost" onClick={() => insert(byId.get(s.id))}>
              {s.title ?? s.text.slice(0, 40)}
            </Button>
          ))}
        </div>
      )}
      {/* An article's link or text goes after what the agent has written, as a reply. */}
      <ArticleSuggestions
        articles={suggestions.data?.articles ?? []}
        onInsert={(x) => {
          setText((cur) => (cur.trim() ? `${cur.trimEnd()}\n\n${x}` : x));
          setCanned(null);
          setMode('reply');
        }}
      />
      <div className="field">
        <label htmlFor={`composer-${id}`}>{mode === 'note' ? t('inbox.noteLabel') : t('inbox.replyLabel')}</label>
        <textarea
          id={`composer-${id}`}
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          className={mode === 'note' ? 'note-input' : undefined}
        />
        <small className="field-hint">{t('inbox.shortcutHint')}</small>
      </div>
      <div className="row">
        <SelectField
          label={t('inbox.cannedPick')}
          value=""
          onChange={(e) => insert(byId.get(e.target.value))}
          options={[
            { value: '', label: replies.data?.data.length ? '—' : t('inbox.cannedNone') },
            ...(replies.data?.data ?? []).map((r) => ({ value: r.id, label: `/${r.shortcut} · ${r.title}` })),
          ]}
        />
        <div className="field">
          <Button type="submit" variant="primary" busy={send.isPending} disabled={!text.trim()}>
            {mode === 'note' ? t('inbox.addNote') : t('inbox.send')}
          </Button>
        </div>
      </div>
      <ErrorNote error={send.error} />
    </form>
  );
}
