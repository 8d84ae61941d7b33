// Error codes of the knowledge module, declared once.
import { defineError } from '../../platform/errors.js';

export const articleNotFound = defineError(404, 'KNOWLEDGE_ARTICLE_NOT_FOUND', 'No such article');
export const categoryNotFound = defineError(404, 'KNOWLEDGE_CATEGORY_NOT_FOUND', 'No such category');
export const versionNotFound = defineError(404, 'KNOWLEDGE_VERSION_NOT_FOUND', 'No such version of this article');
export const translationExists = defineError(409, 'KNOWLEDGE_TRANSLATION_EXISTS', 'This article already has a translation in that language');
export const categorySlugTaken = defineError(409, 'KNOWLEDGE_CATEGORY_SLUG_TAKEN', 'Another category has this slug');
export const synonymNotFound = defineError(404, 'KNOWLEDGE_SYNONYM_NOT_FOUND', 'No such synonym set');
export const searchNotFound = defineError(404, 'KNOWLEDGE_SEARCH_NOT_FOUND', 'No such search');
export const helpCentreNotFound = defineError(404, 'KNOWLEDGE_HELP_CENTRE_NOT_FOUND', 'No such help centre');
export const scriptNotFound = defineError(404, 'KNOWLEDGE_SCRIPT_NOT_FOUND', 'No such script');
export const invalidScript = defineError(422, 'KNOWLEDGE_INVALID_SCRIPT', 'The script is not a valid tree');
export const scriptRunNotFound = defineError(404, 'KNOWLEDGE_SCRIPT_RUN_NOT_FOUND', 'No such script run');
export const scriptRunEnded = defineError(409, 'KNOWLEDGE_SCRIPT_RUN_ENDED', 'This script run has already ended');
export const invalidStep = defineError(422, 'KNOWLEDGE_INVALID_STEP', 'This step is not offered at the current point of the script');
export const rateLimited = defineError(429, 'KNOWLEDGE_RATE_LIMITED', 'Too many requests; try again shortly');
