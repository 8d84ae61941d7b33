// The tenant's loyalty settings (GET/PATCH /v1/settings/loyalty): the programme's base currency with the
// rates other currencies convert at, and which reasons of points given directly count toward a tier.
// They live beside the programme document because they are the finance's and the support desk's to
// change, not the programme designer's: a rate moves with the market, the rules do not.
import { z } from '../../platform/validation.js';

const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY');
const GoodwillReason = z
  .string()
  .min(1)
  .max(100)
  .regex(/^(manual|[a-z][a-z0-9_]*)$/, 'a reason as given to POST /v1/loyalty/earn, lower_snake_case; "manual" for points given without one');

export const LoyaltySettingsArea = z
  .object({
    base_currency: CurrencyCode.default('CNY').describe('The programme currency: purchase rules, spend tiers, point value and the finance view are in it'),
    currency_rates: z
      .record(CurrencyCode, z.number().finite().positive().max(1e9))
      .default({})
      .describe(
        'Units of the base currency one unit of each other currency is worth, e.g. {"GBP": 9.1}. A purchase in a currency without a rate earns nothing, and says so',
      ),
    goodwill_toward_tier: z
      .record(GoodwillReason, z.boolean())
      .default({})
      .describe('Reasons of points given directly that count toward tier qualification (true); every other reason does not'),
  })
  .strict();
export type LoyaltySettings = z.infer<typeof LoyaltySettingsArea>;

export const DEFAULT_LOYALTY_SETTINGS: LoyaltySettings = LoyaltySettingsArea.parse({});

/** The stored values with defaults for what was never set or no longer parses (as the settings API reads them). */
export function loyaltySettingsOf(stored: unknown): LoyaltySettings {
  const out: Record<string, unknown> = { ...DEFAULT_LOYALTY_SETTINGS };
  const s = (stored ?? {}) as Record<string, unknown>;
  for (const [k, field] of Object.entries(LoyaltySettingsArea.shape)) {
    const r = (field as z.ZodType).safeParse(s[k]);
    if (s[k] !== undefined && r.success) out[k] = r.data;
  }
  return out as LoyaltySettings;
}

/** The base-currency amount of a purchase, or null for a currency the tenant gave no rate. */
export function toBaseCurrency(s: LoyaltySettings, amount: number, currency: string): { amount: number; rate: number } | null {
  const rate = currency === s.base_currency ? 1 : s.currency_rates[currency];
  if (rate === undefined) return null;
  return { amount: Math.round(amount * rate * 100) / 100, rate };
}

/** The ledger reasons of goodwill that count toward tiers: `manual` and `manual:<reason>` as earnPoints writes them. */
export function qualifyingGoodwill(s: LoyaltySettings): string[] {
  return Object.entries(s.goodwill_toward_tier)
    .filter(([, on]) => on)
    .map(([reason]) => (reason === 'manual' ? 'manual' : `manual:${reason}`));
}
