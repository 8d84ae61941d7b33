// Error codes of the loop module, declared once.
import { defineError } from '../../platform/errors.js';

export const caseNotFound = defineError(404, 'CASE_NOT_FOUND', 'No such case');
/** A case opened for a customer that does not exist (or was erased). */
export const caseCustomerNotFound = defineError(404, 'CASE_CUSTOMER_NOT_FOUND', 'No such customer');
export const issueNotFound = defineError(404, 'LOOP_ISSUE_NOT_FOUND', 'No such issue');
export const ruleNotFound = defineError(404, 'CASE_RULE_NOT_FOUND', 'No such rule');
export const caseClosed = defineError(409, 'CASE_CLOSED', 'This case is already closed');
export const issueFixed = defineError(409, 'LOOP_ISSUE_FIXED', 'This issue is already fixed');
export const ownerNotFound = defineError(404, 'CASE_OWNER_NOT_FOUND', 'No such user');
export const noticeNotFound = defineError(404, 'NOTICE_NOT_FOUND', 'No such notice sent through the outbox');
