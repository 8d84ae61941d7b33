// The words a case is shown in, never its codes: built-in case types, topics, priorities, activity kinds
// and channels through their translation keys (a tenant's own code turned into words), and who did a
// step by name ("user:<id>" → the console user's name, "system…" → System, "api_key:…" → API).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UserList } from '../../../../src/platform/auth-contract.js';
import { get } from '../../../shared/api.js';
import { listAgents } from '../../api/inbox.js';
import { isAdmin, useMe } from '../../session.js';

/** A code as words when no translation names it: `flight_delay` → "flight delay". */
export const humanize = (code: string) => code.replace(/[_-]+/g, ' ').trim();

export function useCaseWords() {
  const { t, i18n } = useTranslation();
  // A key is looked up only for a code that can be one: a tenant's code with a dot would name a nested key.
  const word = (prefix: string, code: string) => (/^[\w-]+$/.test(code) ? t(`${prefix}.${code}`, { defaultValue: humanize(code) }) : humanize(code));
  return {
    caseType: (code: string) => word('caseType', code),
    topic: (code: string) => word('topic', code),
    priority: (code: string) => word('tenantSettings.priority', code),
    channel: (code: string) => word('channel', code),
    kind: (code: string) => word('caseActivity.kind', code),
    list: (items: string[]) => items.join(i18n.language.startsWith('zh') ? '、' : ', '),
  };
}

/** Console users' names by user id: every user for an admin, the inbox's agents for anyone, and oneself. */
function useUserNames(): Map<string, string> {
  const { data: me } = useMe();
  const admin = isAdmin(me);
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<UserList>('/v1/users'), enabled: admin });
  const agents = useQuery({ queryKey: ['inbox-agents'], queryFn: () => listAgents() });
  const names = new Map<string, string>();
  for (const a of agents.data?.data ?? []) if (a.user_id && a.name) names.set(a.user_id, a.name);
  for (const u of users.data?.data ?? []) names.set(u.id, u.name);
  if (me?.kind === 'user' && me.name) names.set(me.id, me.name);
  return names;
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
