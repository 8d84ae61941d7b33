// Error codes of the outreach module, declared once.
import { defineError } from '../../platform/errors.js';

export const templateNotFound = defineError(404, 'OUTREACH_TEMPLATE_NOT_FOUND', 'No such template');
export const invalidTemplate = defineError(422, 'OUTREACH_INVALID_TEMPLATE', 'The template is not valid');
export const renderFailed = defineError(422, 'OUTREACH_RENDER_FAILED', 'The template cannot be rendered with this data');
export const customerNotFound = defineError(404, 'OUTREACH_CUSTOMER_NOT_FOUND', 'No such customer');
export const messageNotFound = defineError(404, 'OUTREACH_MESSAGE_NOT_FOUND', 'No such message');
export const segmentNotFound = defineError(404, 'OUTREACH_SEGMENT_NOT_FOUND', 'No such segment');
export const invalidSegment = defineError(422, 'OUTREACH_INVALID_SEGMENT', 'The segment rules are not valid');
export const campaignNotFound = defineError(404, 'OUTREACH_CAMPAIGN_NOT_FOUND', 'No such campaign');
export const campaignNotDraft = defineError(409, 'OUTREACH_CAMPAIGN_NOT_DRAFT', 'Only a draft campaign can be planned');
export const journeyNotFound = defineError(404, 'OUTREACH_JOURNEY_NOT_FOUND', 'No such journey');
export const urgentNotTransactional = defineError(422, 'OUTREACH_URGENT_NOT_TRANSACTIONAL', 'Only transactional messages may skip quiet hours');
export const invalidLink = defineError(404, 'OUTREACH_LINK_INVALID', 'This link is not valid');
