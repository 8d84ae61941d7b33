// Asking one customer: the invitation is issued (or refused: throttled, no consent, outside their
// window…) and, when issued, announced with its signed link. Outreach (email, SMS, WeChat), the inbox
// (in a conversation) and the widget deliver the link; feedback only asks.
import { getTenantSettings } from '../../platform/tenancy.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { getSurvey } from './manage-surveys.js';
import { issueInvitation, type InvitationOutcome, type InvitationRequest } from './issue-invitation.js';
import { readContactProfile } from './read-contact-profile.js';
import { invitationUrl } from './sign-link.js';
import { chooseLanguage } from './survey-definition.js';

async function tenantThrottleDays(deps: FeedbackDeps, tenantId: string): Promise<number | undefined> {
  const s = (await getTenantSettings(deps.pool, tenantId)).feedback as { throttle_days?: number } | undefined;
  return typeof s?.throttle_days === 'number' ? s.throttle_days : undefined;
}

export async function inviteCustomer(deps: FeedbackDeps, tenantId: string, req: InvitationRequest, now: Date): Promise<InvitationOutcome & { url?: string }> {
  const survey = await getSurvey(deps.pool, tenantId, req.surveyId);
  const profile = await readContactProfile(deps, tenantId, req.customerId);
  const result = await issueInvitation(deps.pool, tenantId, survey, profile, req, { now, tenantThrottleDays: await tenantThrottleDays(deps, tenantId) });
  if (result.outcome !== 'issued') return result;
  const url = await invitationUrl(deps, tenantId, result.invitationId, result.expiresAt);
  const def = await deps.caches.definition(tenantId, req.surveyId, result.surveyVersion);
  deps.bus.publish({
    type: 'feedback.invitation.created',
    tenantId,
    payload: {
      invitationId: result.invitationId,
      surveyId: req.surveyId,
      customerId: profile!.id,
      channel: result.channel,
      url,
      language: chooseLanguage([profile!.language, profile!.locale], def),
      trigger: req.trigger,
      expiresAt: result.expiresAt.toISOString(),
      ...(req.context?.conversation_id ? { conversationId: req.context.conversation_id } : {}),
    },
  });
  return { ...result, url };
}
