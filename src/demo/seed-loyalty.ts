// The demo's loyalty programme: a point per yuan, more on duty-free beauty, three tiers, and rewards.
import type { Rapport } from '../app.js';
import { LoyaltyProgram } from '../modules/loyalty/index.js';

/** How long ago the demo's loyalty programme launched: purchases since then earned points. */
export const LOYALTY_DAYS = 90;
const REWARDS = [
  { name: 'Lounge pass', description: 'One visit to any partner lounge', cost_points: 3000, voucher_valid_days: 180 },
  { name: '¥100 duty-free voucher', description: 'For any duty-free store purchase of ¥500 or more', cost_points: 2000, voucher_valid_days: 90 },
  { name: 'West Lake Longjing tea', description: '250 g, delivered to your postal address', cost_points: 1500, stock: 200 },
  {
    name: 'Business upgrade voucher',
    description: 'One upgrade on a flight within Asia',
    cost_points: 15000,
    tiers: ['gold', 'platinum'],
    voucher_valid_days: 365,
  },
];

export async function seedLoyalty(rapport: Rapport, tenantId: string) {
  // A point per yuan, more on duty-free beauty, three tiers over the programme's 90 days, and rewards.
  await rapport.loyalty.setProgram(
    tenantId,
    LoyaltyProgram.parse({
      point_value: 0.01,
      expiry: { policy: 'end_of_year', years: 2 },
      purchase: { base_rate: 1, rates: [{ id: 'beauty', category: 'beauty', rate: 2 }] },
      engagement: { survey: { points: 50, max_per_month: 2 }, review: { points: 100, max_per_month: 1 }, check_in: { points: 10, max_per_day: 1 } },
      tiers: [
        { id: 'silver', name: 'Silver', threshold: 2000 },
        { id: 'gold', name: 'Gold', threshold: 6000, earn_multiplier: 1.25, priority_routing: true },
        { id: 'platinum', name: 'Platinum', threshold: 15000, earn_multiplier: 1.5, priority_routing: true },
      ],
    }),
  );
  for (const reward of REWARDS) await rapport.loyalty.createReward(tenantId, reward);
}
