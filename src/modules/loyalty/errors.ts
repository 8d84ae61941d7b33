// Error codes of the loyalty module, declared once.
import { defineError } from '../../platform/errors.js';

export const customerNotFound = defineError(404, 'LOYALTY_CUSTOMER_NOT_FOUND', 'No such customer');
export const rewardNotFound = defineError(404, 'LOYALTY_REWARD_NOT_FOUND', 'No such reward');
export const offerNotFound = defineError(404, 'LOYALTY_OFFER_NOT_FOUND', 'No such offer');
export const redemptionNotFound = defineError(404, 'LOYALTY_REDEMPTION_NOT_FOUND', 'No such redemption');
export const voucherNotFound = defineError(404, 'LOYALTY_VOUCHER_NOT_FOUND', 'No such voucher');
export const purchaseNotFound = defineError(404, 'LOYALTY_PURCHASE_NOT_FOUND', 'No points were earned for this order');
export const insufficientPoints = defineError(422, 'LOYALTY_INSUFFICIENT_POINTS', 'The customer does not have enough available points');
export const outOfStock = defineError(409, 'LOYALTY_OUT_OF_STOCK', 'This reward is out of stock');
export const rewardUnavailable = defineError(422, 'LOYALTY_REWARD_UNAVAILABLE', 'This reward cannot be redeemed by this customer now');
export const redemptionLimitReached = defineError(422, 'LOYALTY_REDEMPTION_LIMIT', 'The customer has redeemed this reward as often as allowed');
export const voucherExpired = defineError(410, 'LOYALTY_VOUCHER_EXPIRED', 'This voucher code has expired');
export const voucherNotUsable = defineError(409, 'LOYALTY_VOUCHER_NOT_USABLE', 'This voucher was already used or cancelled');
export const redemptionNotCancellable = defineError(409, 'LOYALTY_REDEMPTION_NOT_CANCELLABLE', 'Only an issued, unused redemption can be cancelled');
export const idempotencyKeyReused = defineError(422, 'LOYALTY_IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used with a different request');
export const referralExists = defineError(409, 'LOYALTY_REFERRAL_EXISTS', 'This friend was already referred');
export const invalidReferral = defineError(422, 'LOYALTY_INVALID_REFERRAL', 'A customer cannot refer themselves');
export const tierReviewNotFound = defineError(404, 'LOYALTY_TIER_REVIEW_NOT_FOUND', 'No such tier review');
export const currencyNotConfigured = defineError(
  422,
  'LOYALTY_CURRENCY_NOT_CONFIGURED',
  'This currency has no rate to the programme currency in the loyalty settings',
);
