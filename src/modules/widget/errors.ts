// Error codes of the widget, declared once.
import { defineError } from '../../platform/errors.js';

export const widgetKeyInvalid = defineError(401, 'WIDGET_KEY_INVALID', 'This widget key is not valid');
export const widgetOriginRefused = defineError(403, 'WIDGET_ORIGIN_REFUSED', 'This site is not allowed to use the widget');
export const widgetThrottled = defineError(429, 'WIDGET_THROTTLED', 'Too much feedback from this client; try again later');
