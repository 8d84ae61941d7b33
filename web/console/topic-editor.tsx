// Correcting an item's topics where they are shown (a case, a survey response): what a person adds or
// removes is sent as a correction, which the text module learns from for the tenant's next texts.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api.js';
import { Button, ErrorNote, TextField } from '../shared/ui.js';

export function TopicEditor({ topics, url, onSaved }: { topics: string[]; url: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string | null>(null);
  const wanted = (value ?? '')
    .split(/[,，\s]+/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  const change = { add: wanted.filter((x) => !topics.includes(x)), remove: topics.filter((x) => !wanted.includes(x)) };
  const save = useMutation({
    mutationFn: () => api('POST', url, change),
    onSuccess: () => {
      setValue(null);
      onSaved();
    },
  });
  if (value === null)
    return (
      <Button variant="ghost" onClick={() => setValue(topics.join(', '))}>
        {t('topicEditor.correct')}
      </Button>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <TextField label={t('topicEditor.label')} hint={t('topicEditor.hint')} value={value} onChange={(e) => setValue(e.target.value)} />
      <ErrorNote error={save.error} />
      <Button type="submit" variant="primary" disabled={!change.add.length && !change.remove.length} busy={save.isPending}>
        {t('common.save')}
      </Button>
      <Button variant="ghost" onClick={() => setValue(null)}>
        {t('common.cancel')}
      </Button>
    </form>
  );
}
