// The demo's surveys and a year of answers: NPS after a flight, CSAT after a chat, CES after a refund
// and a "why did you stop" survey for abandoned card applications. NPS moves for a reason a CX director
// recognises: five months ago a wave of delays (a summer of air-traffic control restrictions) pulls it
// down, with comments about delays and rebooking; the schedule fix and the new rebooking rule afterwards
// lift it above where it was. Answers go through the feedback door, a slice at a time.
//
// Experience and leaving go together: before the churn model's cutoff (T−90 days) the customers who
// then leave (find-leavers.ts) answer more often and worse — a quarter of those answers come from them,
// and six in ten of their NPS answers are a detractor's and six in ten of their CSAT answers a 1 or 2.
// These draws come from a generator of their own, so the rest of the story is the same as without them.
import type { Story } from './seed-story.js';
import { DAY, inSlices, rng } from './seed-story.js';
import { CHURN_WINDOW_DAYS } from './find-leavers.js';

const LEAVERS_SHARE = 0.25;
const LEAVER_WORSE = 0.6;

const COMMENTS = {
  delay: {
    zh: ['航班延误了四个小时，没人通知', '又延误了，改签还要排长队', '延误后客服电话打不通，太失望了', '连续两次延误，考虑换航空公司'],
    en: [
      'Four hours of delay and nobody told us anything',
      'Delayed again and the rebooking queue was endless',
      'Could not reach anyone after the delay',
      'Second delay in a row, looking at other airlines',
    ],
  },
  bad: {
    zh: ['行李晚到了一天', '座位很挤，餐食一般', '退款太慢了', 'App 值机总是卡顿'],
    en: ['My bag arrived a day late', 'Cramped seat and poor food', 'The refund took far too long', 'The app kept freezing at check-in'],
  },
  good: {
    zh: ['空姐服务很热情，航班准点', '值机很快，体验很好', '贵宾室很舒服', '改签很方便，客服态度好'],
    en: ['Friendly crew and we landed on time', 'Quick check-in, great experience', 'The lounge was lovely', 'Rebooking was easy and the agent was kind'],
  },
  fixed: {
    zh: ['这次准点起飞，比夏天好多了', '延误后自动改签，很省心', '最近几次都很准时'],
    en: ['On time this time, much better than the summer', 'Automatic rebooking after a delay saved my day', 'Punctual on my last few flights'],
  },
};

const L = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export async function seedSurveys(s: Story): Promise<string> {
  const { r, tenantId, rand, pick } = s;
  const nps = await r.feedback.createSurvey(tenantId, {
    name: 'NPS after a flight',
    kind: 'nps',
    channel: 'email',
    touchpoint: 'flight',
    journey_stage: 'use',
    consent_purpose: 'service',
    triggers: [{ type: 'event', event_type: 'purchase', delay_minutes: 60 * 24, first_time_only: false, max_age_hours: 48 }],
    definition: {
      title: L('How was your flight?', '您对本次航班满意吗？'),
      default_language: 'zh-CN',
      questions: [
        { key: 'nps', type: 'nps', text: L('How likely are you to recommend us to a friend?', '您有多大可能向朋友推荐我们？'), required: true },
        { key: 'reason', type: 'text', text: L('What is the main reason for your score?', '您打这个分数的主要原因是什么？'), required: false },
      ],
    },
  });
  const csat = await r.feedback.createSurvey(tenantId, {
    name: 'CSAT after a chat',
    kind: 'csat',
    channel: 'widget',
    touchpoint: 'service_chat',
    journey_stage: 'service',
    consent_purpose: 'service',
    triggers: [{ type: 'conversation_resolved', delay_minutes: 0 }],
    definition: {
      title: L('How did we do?', '本次服务您满意吗？'),
      default_language: 'zh-CN',
      questions: [
        { key: 'csat', type: 'csat', text: L('How satisfied are you with the help you got?', '您对本次服务满意吗？'), required: true },
        { key: 'comment', type: 'text', text: L('Anything we could do better?', '还有什么可以改进的？'), required: false },
      ],
    },
  });
  const ces = await r.feedback.createSurvey(tenantId, {
    name: 'CES after a refund',
    kind: 'ces',
    channel: 'email',
    touchpoint: 'refund',
    journey_stage: 'service',
    consent_purpose: 'service',
    triggers: [{ type: 'event', event_type: 'refund', delay_minutes: 60, first_time_only: false, max_age_hours: 48 }],
    definition: {
      title: L('Your refund', '您的退款'),
      default_language: 'zh-CN',
      questions: [{ key: 'ces', type: 'ces', text: L('How easy was it to get your refund?', '办理退款有多容易？'), required: true }],
    },
  });
  const why = await r.feedback.createSurvey(tenantId, {
    name: 'Why did you stop your card application?',
    kind: 'custom',
    channel: 'email',
    touchpoint: 'card_application',
    journey_stage: 'purchase',
    consent_purpose: 'service',
    triggers: [{ type: 'abandonment', start_event: 'application_started', complete_event: 'application_completed', within_minutes: 120 }],
    definition: {
      title: L('Your card application', '您的联名卡申请'),
      default_language: 'zh-CN',
      questions: [
        {
          key: 'why',
          type: 'single_choice',
          text: L('What stopped you?', '是什么原因让您没有完成申请？'),
          required: true,
          options: [
            { value: 'too_long', text: L('The form was too long', '表格太长') },
            { value: 'fees', text: L('The annual fee', '年费') },
            { value: 'documents', text: L('Documents I did not have', '缺少所需材料') },
            { value: 'later', text: L('I will finish later', '稍后再完成') },
          ],
        },
        { key: 'comment', type: 'text', text: L('Anything else?', '还有其他想说的吗？'), required: false },
      ],
    },
  });

  type Submission = Parameters<typeof r.feedback.submitResponse>[1];
  const all: Submission[] = [];
  const customer = () => s.customers[Math.floor(rand() * s.customers.length)];
  const worse = rng(0x1ea7e5);
  const leavers = s.customers.filter((c) => c.isLeaver);
  /** Before the cutoff, the customer who answers is a leaver more often than chance would have it. */
  const respondent = (c: (typeof s.customers)[number], daysAgo: number) =>
    daysAgo > CHURN_WINDOW_DAYS && leavers.length && worse() < LEAVERS_SHARE ? leavers[Math.floor(worse() * leavers.length)] : c;
  const isWorse = (c: (typeof s.customers)[number], daysAgo: number) => c.isLeaver && daysAgo > CHURN_WINDOW_DAYS && worse() < LEAVER_WORSE;
  const n = (x: number) => Math.max(20, Math.round(x * s.scale));
  // NPS: about 1,200 answers over the year. daysAgo 150-185 is the delay wave; under 150 the fix holds.
  for (let i = 0; i < n(1200); i++) {
    const daysAgo = rand() * 364 + 0.1;
    const c = respondent(customer(), daysAgo);
    const lang = c.isChinese ? 'zh' : 'en';
    const isWave = daysAgo >= 150 && daysAgo < 185;
    const isFixed = daysAgo < 150;
    const [promoter, detractor] = isWave ? [0.24, 0.52] : isFixed ? [0.5 + (150 - daysAgo) / 1500, 0.16] : [0.42, 0.26];
    const u = rand();
    const score = u < promoter ? 9 + Math.floor(rand() * 2) : u < promoter + detractor ? Math.floor(rand() * 7) : 7 + Math.floor(rand() * 2);
    const pool =
      score <= 6
        ? isWave && rand() < 0.75
          ? COMMENTS.delay
          : COMMENTS.bad
        : score >= 9
          ? isFixed && rand() < 0.4
            ? COMMENTS.fixed
            : COMMENTS.good
          : undefined;
    const answers: Record<string, number | string> = { nps: score };
    if (pool && rand() < 0.6) answers.reason = pick(pool[lang]);
    if (isWorse(c, daysAgo)) {
      answers.nps = Math.floor(worse() * 7);
      answers.reason = COMMENTS.bad[lang][Math.floor(worse() * COMMENTS.bad[lang].length)];
    }
    all.push({
      surveyId: nps,
      answers,
      isPartial: false,
      customerId: c.id,
      channel: 'email',
      touchpoint: 'flight',
      language: c.isChinese ? 'zh-CN' : 'en',
      at: new Date(s.now - daysAgo * DAY),
    });
  }
  for (let i = 0; i < n(300); i++) {
    const drawn = customer();
    const daysAgo = rand() * 364 + 0.1;
    const c = respondent(drawn, daysAgo);
    const score = Math.min(5, Math.max(1, Math.round(3.9 + (rand() - 0.5) * 3 - (daysAgo >= 150 && daysAgo < 185 ? 0.8 : 0))));
    const answers: Record<string, number | string> = { csat: score };
    if (score <= 2 && rand() < 0.7) answers.comment = c.isChinese ? '等了很久才有人回复' : 'It took a long time to get an answer';
    if (isWorse(c, daysAgo)) {
      answers.csat = 1 + Math.floor(worse() * 2);
      answers.comment = c.isChinese ? '等了很久才有人回复' : 'It took a long time to get an answer';
    }
    all.push({
      surveyId: csat,
      answers,
      isPartial: false,
      customerId: c.id,
      channel: 'webchat',
      touchpoint: 'service_chat',
      language: c.isChinese ? 'zh-CN' : 'en',
      at: new Date(s.now - daysAgo * DAY),
    });
  }
  for (let i = 0; i < n(120); i++) {
    const c = customer();
    all.push({
      surveyId: ces,
      answers: { ces: Math.min(7, Math.max(1, Math.round(4.6 + (rand() - 0.5) * 4))) },
      isPartial: false,
      customerId: c.id,
      channel: 'email',
      touchpoint: 'refund',
      language: c.isChinese ? 'zh-CN' : 'en',
      at: new Date(s.now - (rand() * 364 + 0.1) * DAY),
    });
  }
  for (let i = 0; i < n(80); i++) {
    const c = customer();
    all.push({
      surveyId: why,
      answers: { why: pick(['too_long', 'too_long', 'fees', 'documents', 'later']) },
      isPartial: false,
      customerId: c.id,
      channel: 'email',
      touchpoint: 'card_application',
      language: c.isChinese ? 'zh-CN' : 'en',
      at: new Date(s.now - (rand() * 364 + 0.1) * DAY),
    });
  }
  all.sort((a, b) => a.at!.getTime() - b.at!.getTime());
  await inSlices(all, 200, (x) => r.feedback.submitResponse(tenantId, x));
  return `4 surveys, ${all.length} responses over a year`;
}
