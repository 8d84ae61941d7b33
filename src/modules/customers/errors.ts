// Error codes of the customers module, declared once.
import { defineError } from '../../platform/errors.js';

export const customerNotFound = defineError(404, 'CUSTOMER_NOT_FOUND', 'No such customer');
export const cannotMerge = defineError(409, 'CUSTOMER_CANNOT_MERGE', 'These customers cannot be merged');
export const identityTaken = defineError(409, 'CUSTOMER_IDENTITY_TAKEN', 'This identity belongs to another customer');
export const customerErased = defineError(410, 'CUSTOMER_ERASED', 'This customer was erased');
export const invalidAttributes = defineError(422, 'CUSTOMER_INVALID_ATTRIBUTES', 'Some attributes are not valid');
export const conflictingAttribute = defineError(409, 'CUSTOMER_ATTRIBUTE_TYPE_CONFLICT', 'This attribute is already defined with another type');
