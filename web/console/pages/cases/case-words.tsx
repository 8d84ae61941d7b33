// The words a case is shown in, never its codes: built-in case types, topics, priorities, activity kinds
// and channels through their translation keys (a tenant's own code turned into words), and who did a
// step by name ("user:<id>" → the console user's name, "system…" → System, "api_key:…" → API).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UserNames } from '../../../../src/platform/auth-contract.js';
import { get } from '../../../shared/api.js';
import { humanize, useWord } from '../../../shared/words.js';

export function useCaseWords() {
  const { i18n } = useTranslation();
  const word = useWord();
  return {
    caseType: (code: string) => word('caseType', code),
    topic: (code: string) => word('topic', code),
    priority: (code: string) => word('tenantSettings.priority', code),
    channel: (code: string) => word('channel', code),
    kind: (code: string) => word('caseActivity.kind', code),
    list: (items: string[]) => items.join(i18n.language.startsWith('zh') ? '、' : ', '),
  };
}

/** Console users' names by user id, for every role. */
function useUserNames(): Map<string, string> {
  const users = useQuery({ queryKey: ['user-names'], queryFn: () => get<UserNames>('/v1/users/names'), staleTime: 60_000 });
  return new Map((users.data?.data ?? []).map((u) => [u.id, u.name]));
}

/** Who did a step, as a person reads it. */
export function useActorName() {
  const { t } = useTranslation();
  const names = useUserNames();
  return (actor: string) => {
    const [type, ...rest] = actor.split(':');
    const id = rest.join(':');
    if (type === 'system') return t('caseActivity.system');
    if (type === 'api_key') return t('caseActivity.apiKey');
    if (type === 'user') return names.get(id) ?? id;
    return id || humanize(actor);
  };
}
