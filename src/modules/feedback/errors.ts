// Error codes of the feedback module, declared once.
import { defineError } from '../../platform/errors.js';

export const surveyNotFound = defineError(404, 'SURVEY_NOT_FOUND', 'No such survey');
export const responseNotFound = defineError(404, 'SURVEY_RESPONSE_NOT_FOUND', 'No such response');
export const invalidSurvey = defineError(422, 'SURVEY_INVALID', 'The survey definition is not valid');
export const invalidAnswers = defineError(422, 'SURVEY_INVALID_ANSWERS', 'Some answers are not valid');
export const surveyNotActive = defineError(409, 'SURVEY_NOT_ACTIVE', 'This survey is not accepting responses');
export const alreadyAnswered = defineError(409, 'SURVEY_ALREADY_ANSWERED', 'This survey was already answered');
export const linkInvalid = defineError(403, 'SURVEY_LINK_INVALID', 'This survey link is not valid');
export const linkExpired = defineError(410, 'SURVEY_LINK_EXPIRED', 'This survey link has expired');
/** A customer id given by the client that names no active customer. */
export const noSuchCustomer = () => surveyNotFound('No such customer', [{ field: 'customer_id', message: 'names no customer' }]);
