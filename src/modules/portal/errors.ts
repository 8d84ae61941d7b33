// Error codes of the portal, declared once.
import { defineError } from '../../platform/errors.js';

export const signInFailed = defineError(401, 'PORTAL_SIGN_IN_FAILED', 'The code or link is wrong, used or expired');
export const notSignedIn = defineError(401, 'PORTAL_NOT_SIGNED_IN', 'Sign in to the portal first');
export const signInThrottled = defineError(429, 'PORTAL_SIGN_IN_THROTTLED', 'Too many sign-in attempts; try again later');
