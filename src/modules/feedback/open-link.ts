// A signed link opened: a per-customer invitation (the invitation fixes customer, version and
// touchpoint) or a page's feedback button (anonymous, the survey's current version).
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { peekLink, verifyLink } from './sign-link.js';
import { readContactProfile } from './read-contact-profile.js';
import type { Answers } from './survey-definition.js';
import { linkExpired, linkInvalid } from './errors.js';
import { surveyInvitations, surveyResponses } from './schema.js';

const Invitation = rowOf(surveyInvitations, [
  'id',
  'survey_id',
  'survey_version',
  'customer_id',
  'channel',
  'touchpoint',
  'journey_stage',
  'trigger',
  'status',
  'context',
]);
const Partial = rowOf(surveyResponses, ['answers']);

/** `withProfile`: the customer's language for rendering the page; storing answers does not need it. */
export async function openLink(deps: FeedbackDeps, token: string, now: Date = deps.clock.now(), opts: { withProfile?: boolean } = { withProfile: true }) {
  const { pool, caches } = deps;
  const p = peekLink(token);
  if (!p) throw linkInvalid();
  const k = await deps.linkKeys.existing(p.t);
  if (!k || !verifyLink(k, token)) throw linkInvalid();
  if (p.e !== undefined && p.e * 1000 < now.getTime()) throw linkExpired();
  const tenantId = p.t;
  if (p.k === 'btn') {
    const survey = await caches.survey(tenantId, p.i);
    if (!survey) throw linkInvalid();
    return {
      tenantId,
      survey,
      version: survey.current_version,
      definition: await caches.definition(tenantId, survey.id, survey.current_version),
      invitation: undefined,
      profile: undefined,
    };
  }
  const inv = await queryRow(pool, Invitation, `SELECT ${Invitation.selectList} FROM survey_invitations WHERE tenant_id = $1 AND id = $2`, [tenantId, p.i]);
  if (!inv) throw linkInvalid();
  const survey = await caches.survey(tenantId, inv.survey_id);
  if (!survey) throw linkInvalid();
  const profile = opts.withProfile ? await readContactProfile(deps, tenantId, inv.customer_id) : undefined;
  return {
    tenantId,
    survey,
    version: inv.survey_version,
    definition: await caches.definition(tenantId, survey.id, inv.survey_version),
    invitation: inv,
    profile,
  };
}

/** The answers an invitation's customer saved without finishing, to fill the page again. */
export async function pendingPartial(deps: Pick<FeedbackDeps, 'pool'>, tenantId: string, invitationId: string): Promise<Answers> {
  const r = await queryRow(deps.pool, Partial, `SELECT answers FROM survey_responses WHERE tenant_id = $1 AND invitation_id = $2 AND status = 'partial'`, [
    tenantId,
    invitationId,
  ]);
  return r?.answers ?? {};
}
