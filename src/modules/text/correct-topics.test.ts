// One correction rule for every item with topics: removed topics go, added ones follow the others once.
import { describe, expect, it } from 'vitest';
import { applyTopicCorrection, publishTopicsCorrected } from './correct-topics.js';
import type { BusMessage, EventBus } from '../../platform/bus.js';

describe('applyTopicCorrection', () => {
  it('drops the removed topics and appends the added ones that were missing', () => {
    expect(applyTopicCorrection(['price', 'delivery', 'staff'], { add: ['refund', 'staff'], remove: ['delivery'] })).toEqual(['price', 'staff', 'refund']);
  });

  it('changes nothing the second time', () => {
    const c = { add: ['refund'], remove: ['price'] };
    const once = applyTopicCorrection(['price', 'delivery'], c);
    expect(applyTopicCorrection(once, c)).toEqual(once);
  });

  it('keeps stored records and makes one for each topic added', () => {
    const before = [{ topic: 'price', terms: ['贵'] }];
    const after = applyTopicCorrection(
      before,
      { add: ['billing'], remove: [] },
      (t) => t.topic,
      (topic) => ({ topic, terms: [] }),
    );
    expect(after).toEqual([
      { topic: 'price', terms: ['贵'] },
      { topic: 'billing', terms: [] },
    ]);
  });
});

describe('publishTopicsCorrected', () => {
  const heard: BusMessage[] = [];
  const bus = { publish: (m: BusMessage) => heard.push(m) } as unknown as EventBus;

  it('tells the text module about an item with text, and not about one without', () => {
    const c = { sourceType: 'case' as const, sourceId: 'c1', customerId: null, add: ['price'], remove: [], by: 'u1' };
    publishTopicsCorrected(bus, 't1', { ...c, text: null });
    publishTopicsCorrected(bus, 't1', { ...c, text: '太贵了' });
    expect(heard).toEqual([{ type: 'topics.corrected', tenantId: 't1', payload: { ...c, text: '太贵了' } }]);
  });
});
