// A customer's contact preferences (channels in order, a contact window, a weekly cap, a language) as a
// form holds them, shared by the console's editor and the portal's: both send the same body, keep the
// window's days as saved (every day when none were), and number each chosen channel by its place.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel, Preferences } from '../../src/modules/customers/contract.js';
import { ApiError } from './api.js';

/** The preferences as a customer's profile gives them back (channels read as stored). */
interface SavedPreferences {
  channels?: string[];
  contact_window?: { start: string; end: string; days: number[] } | null;
  max_messages_per_week?: number | null;
  language?: string | null;
}

export function usePreferencesForm(saved: SavedPreferences | null | undefined) {
  const { t } = useTranslation();
  const [channels, setChannels] = useState<string[]>(saved?.channels ?? []);
  const [window, setWindow] = useState({ start: saved?.contact_window?.start ?? '', end: saved?.contact_window?.end ?? '' });
  const [max, setMax] = useState(saved?.max_messages_per_week?.toString() ?? '');
  const [language, setLanguage] = useState(saved?.language ?? '');
  return {
    channels,
    window,
    setWindow,
    max,
    setMax,
    language,
    setLanguage,
    toggle: (ch: string) => setChannels(channels.includes(ch) ? channels.filter((x) => x !== ch) : [...channels, ch]),
    /** The channel's label with its place in the order once chosen: "Email (1)". */
    label: (ch: string, name: string) => `${name}${channels.includes(ch) ? ` (${channels.indexOf(ch) + 1})` : ''}`,
    /**
     * The body to send. Both times empty is no window (null); only one of them is refused here, before
     * anything is sent, with the API's own kind of 422 naming the missing time (`contact_window.end` or
     * `.start`): called in a mutation, it shows beside that field through `fieldMessage` as the server's
     * answer would, and the form keeps what was typed.
     */
    body: (): Preferences => {
      if (!window.start !== !window.end) {
        const message = t('customer.windowBoth');
        throw new ApiError(422, 'VALIDATION_FAILED', message, [{ field: `contact_window.${window.start ? 'end' : 'start'}`, message }]);
      }
      return {
        channels: channels as Channel[],
        contact_window:
          window.start && window.end ? { start: window.start, end: window.end, days: saved?.contact_window?.days ?? [1, 2, 3, 4, 5, 6, 7] } : null,
        max_messages_per_week: max === '' ? null : Number(max),
        language: language || null,
      };
    },
  };
}
