// Loyalty: a points ledger that never loses or double-spends, earning rules as data, tiers, rewards the customer chooses, and an honest liability.
export { createLoyaltyService, type LoyaltyService } from './loyalty-service.js';
export { loyaltyRoutes } from './routes.js';
export { Program as LoyaltyProgram } from './program.js';
export type { StatementFigures } from './read-statements.js';
