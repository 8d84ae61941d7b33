// Error codes of the listening module, declared once.
import { defineError } from '../../platform/errors.js';

export const sourceNotFound = defineError(404, 'LISTENING_SOURCE_NOT_FOUND', 'No such source');
export const watchTermNotFound = defineError(404, 'LISTENING_WATCH_TERM_NOT_FOUND', 'No such watch-list term');
export const mentionNotFound = defineError(404, 'LISTENING_MENTION_NOT_FOUND', 'No such mention');
export const watchTermExists = defineError(409, 'LISTENING_WATCH_TERM_EXISTS', 'This term is already on the watch-list for this angle');
export const sourceNotPollable = defineError(409, 'LISTENING_SOURCE_NOT_POLLABLE', 'Only RSS sources are polled');
export const sourceNotAllowed = defineError(422, 'LISTENING_SOURCE_NOT_ALLOWED', "The source's address is not allowed");
export const feedUnreachable = defineError(502, 'LISTENING_FEED_UNREACHABLE', 'The feed could not be fetched or read');
export const badWebhookSignature = defineError(401, 'LISTENING_BAD_SIGNATURE', 'The webhook signature is missing, stale or wrong');
