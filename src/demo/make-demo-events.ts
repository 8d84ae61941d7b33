// Each demo customer's story over the last year, as events: sign-ups, browsing, flights and upgrades,
// duty-free shopping, a credit-card application some abandon, monthly bills, refunds and store visits.
import type { DemoPerson } from './make-demo-customers.js';
import { LOYALTY_DAYS } from './seed-loyalty.js';

const STORES = [
  { id: 'PEK-T3-DF', lat: 40.0799, lng: 116.6031, name: 'Beijing T3 duty free' },
  { id: 'PVG-T2-DF', lat: 31.1443, lng: 121.8083, name: 'Shanghai Pudong T2 duty free' },
  { id: 'CAN-T2-DF', lat: 23.3924, lng: 113.2988, name: 'Guangzhou T2 duty free' },
  { id: 'SZX-CITY', lat: 22.5431, lng: 114.0579, name: 'Shenzhen city store' },
  { id: 'LHR-T2-DF', lat: 51.47, lng: -0.4543, name: 'London Heathrow T2 shop' },
];
const ROUTES = ['PEK-PVG', 'PVG-CAN', 'PEK-SZX', 'PVG-LHR', 'CAN-SIN', 'PEK-NRT', 'SZX-HKG', 'PVG-CDG'];
const RETAIL = [
  { sku: 'SK2-ESS-230', name: 'SK-II Facial Treatment Essence', category: 'beauty', price: 1290 },
  { sku: 'MOUTAI-500', name: 'Kweichow Moutai 500ml', category: 'spirits', price: 2699 },
  { sku: 'DIOR-SAUV-100', name: 'Dior Sauvage 100ml', category: 'fragrance', price: 980 },
  { sku: 'TEA-LONGJING', name: 'West Lake Longjing tea', category: 'food', price: 368 },
  { sku: 'NECK-PILLOW', name: 'Travel neck pillow', category: 'travel', price: 129 },
];

/** `nEvents` events of `people`, none later than a minute before `now` (ms); the same `rand` gives the same events. */
export function makeDemoEvents(people: readonly DemoPerson[], nEvents: number, now: number, rand: () => number): unknown[] {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const DAY = 86_400_000;
  const events: unknown[] = [];
  let seq = 0;
  const add = (p: number, type: string, at: number, properties: Record<string, unknown>) => {
    const who = people[p].identities;
    events.push({
      id: `demo-${String(seq++).padStart(6, '0')}`,
      type,
      occurred_at: new Date(Math.min(at, now - 60_000)).toISOString(),
      identities: rand() < 0.5 ? { email: who.email } : who,
      properties,
    });
  };
  let p = 0;
  while (events.length < nEvents) {
    const person = p++ % people.length;
    const joined = now - Math.floor(rand() * 360) * DAY;
    if (p <= people.length) add(person, 'sign_up', joined, { method: pick(['app', 'web', 'wechat_mini_program']) });
    let t = joined + Math.floor(rand() * 5) * DAY;
    const episodes = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < episodes && events.length < nEvents; e++) {
      t += Math.floor(rand() * 40 + 1) * DAY;
      add(person, 'page_view', t, { url: `https://air.example.com/flights/${pick(ROUTES)}`, title: 'Flight search' });
      add(person, 'app_action', t + 60_000, { action: pick(['search_flights', 'check_in', 'select_seat', 'view_boarding_pass']), screen: 'home' });
      if (rand() < 0.55) {
        const route = pick(ROUTES);
        const amount = Math.round(600 + rand() * 5200);
        const order = `FL-${seq}`;
        add(person, 'purchase', t + 300_000, {
          order_id: order,
          amount,
          currency: 'CNY',
          items: [{ sku: `FLIGHT-${route}`, name: `Flight ${route}`, category: 'flight', quantity: 1, price: amount }],
          store_id: 'online',
        });
        if (rand() < 0.25)
          add(person, 'purchase', t + 600_000, {
            order_id: `UP-${seq}`,
            amount: 880,
            currency: 'CNY',
            items: [{ sku: 'UPGRADE-BIZ', name: 'Business upgrade', category: 'upgrade', quantity: 1, price: 880 }],
            store_id: 'online',
          });
        // Only orders since the loyalty launch are refunded: a refund of an order that earned nothing
        // would be retried by loyalty's reconciliation pass (it rereads the last day's events) for ever.
        if (rand() < 0.08 && t + 300_000 >= now - LOYALTY_DAYS * DAY)
          add(person, 'refund', t + 3 * DAY, { order_id: order, amount, currency: 'CNY', reason: pick(['schedule change', 'illness', 'duplicate booking']) });
        const store = pick(STORES);
        add(person, 'location', t + 2 * DAY, {
          lat: store.lat + (rand() - 0.5) * 0.002,
          lng: store.lng + (rand() - 0.5) * 0.002,
          accuracy_m: 20,
          store_id: store.id,
        });
        if (rand() < 0.45) {
          const item = pick(RETAIL);
          const qty = 1 + Math.floor(rand() * 2);
          add(person, 'purchase', t + 2 * DAY + 900_000, {
            order_id: `DF-${seq}`,
            amount: item.price * qty,
            currency: 'CNY',
            items: [{ ...item, quantity: qty }],
            store_id: store.id,
          });
        }
      }
      if (rand() < 0.12) {
        const app = `APP-${seq}`;
        add(person, 'application_started', t + DAY, { application_id: app, product: 'co-branded credit card' });
        if (rand() < 0.6) add(person, 'application_completed', t + DAY + 1_200_000, { application_id: app, product: 'co-branded credit card' });
      }
      if (rand() < 0.3) add(person, 'bill_issued', t + 10 * DAY, { bill_id: `BILL-${seq}`, amount: Math.round(200 + rand() * 3000), currency: 'CNY' });
    }
  }
  events.length = nEvents;
  return events;
}
