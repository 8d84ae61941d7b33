// Joins analytics and outreach: a saved outreach segment filters analytics by its members, resolved
// through the outreach door. Given to analytics when it is built.
import type { OutreachService } from '../modules/outreach/index.js';

export function analyticsFiltersByOutreachSegment(outreach: OutreachService) {
  return (tenantId: string, segmentId: string) => outreach.segmentMembers(tenantId, segmentId);
}
