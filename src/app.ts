// The composition root: opens the database, applies migrations, starts jobs and wires every module's
// service and routes by hand. `createRapport` is what the CLI, the tests and the benchmarks start.
import fs from 'node:fs';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './platform/config.js';
import { openDatabase, type Database } from './platform/db.js';
import { migrateDatabase } from './platform/migrate.js';
import { createEventBus, type EventBus } from './platform/bus.js';
import { startJobs, type Jobs } from './platform/jobs.js';
import { createPartitionKeeper, type PartitionKeeper } from './platform/partitions.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createSettings, settingsRoutes } from './platform/settings.js';
import { createMailer, type Mailer } from './platform/mailer.js';
import { createOutbox, type Outbox } from './platform/outbox.js';
import { createEgress } from './platform/egress.js';
import { createRateLimiter } from './platform/rate-limit.js';
import { createHttpServer } from './platform/http.js';
import { createKeyCache } from './platform/key-cache.js';
import { createCacheNotices } from './platform/cache-notices.js';
import { authRoutes } from './platform/auth-routes.js';
import { opsRoutes } from './platform/ops-routes.js';
import { createCustomersService, customersRoutes, type CustomersService } from './modules/customers/index.js';
import { createEventsService, eventsRoutes, type EventsService } from './modules/events/index.js';
import { createFeedbackService, feedbackRoutes, feedbackPublicRoutes, type FeedbackService } from './modules/feedback/index.js';
import { createLoopService, loopRoutes, type LoopService } from './modules/loop/index.js';
import { createKnowledgeService, knowledgeRoutes, helpCentreRoutes, type KnowledgeService } from './modules/knowledge/index.js';
import { createLoyaltyService, loyaltyRoutes, type LoyaltyService } from './modules/loyalty/index.js';
import { createPortalService, portalRoutes, type PortalService } from './modules/portal/index.js';
import { createWidgetService, widgetRoutes, type WidgetService } from './modules/widget/index.js';
import { webRoutes } from './platform/web-routes.js';
import { createListeningService, listeningRoutes, type ListeningService } from './modules/listening/index.js';
import { createTextService, textRoutes, type TextService } from './modules/text/index.js';
import { createInboxService, inboxRoutes, type InboxService, type InboxOptions } from './modules/inbox/index.js';
import { createOutreachService, outreachRoutes, type OutreachService, type OutreachDeps } from './modules/outreach/index.js';
import { createAnalyticsService, analyticsRoutes, type AnalyticsService, type SendMail } from './modules/analytics/index.js';
import { widgetTrustsWebChatVisitors } from './flows/widget-trusts-web-chat-visitors.js';
import { cannedRepliesSuggestAnswers } from './flows/canned-replies-suggest-answers.js';
import { loopNoticesLeaveThroughInboxChannels } from './flows/loop-notices-leave-through-inbox-channels.js';
import { openAnswersReadByText } from './flows/open-answers-read-by-text.js';
import { outreachLeavesThroughInboxChannels } from './flows/outreach-leaves-through-inbox-channels.js';
import { outreachTemplatesReadLoyalty } from './flows/outreach-templates-read-loyalty.js';
import { analyticsFiltersByOutreachSegment } from './flows/analytics-filters-by-outreach-segment.js';
import { surveysReachWidgetVisitors } from './flows/surveys-reach-widget-visitors.js';
import { resolvedConversationAsksCsat } from './flows/resolved-conversation-asks-csat.js';
import { detractorOpensCase } from './flows/detractor-opens-case.js';
import { negativeMentionOpensCase } from './flows/negative-mention-opens-case.js';

const VERSION: string = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Rapport {
  config: Config;
  log: Logger;
  db: Database;
  bus: EventBus;
  jobs: Jobs;
  clock: Clock;
  mailer: Mailer;
  outbox: Outbox;
  app: FastifyInstance;
  customers: CustomersService;
  events: EventsService;
  feedback: FeedbackService;
  loop: LoopService;
  knowledge: KnowledgeService;
  loyalty: LoyaltyService;
  portal: PortalService;
  widget: WidgetService;
  listening: ListeningService;
  text: TextService;
  inbox: InboxService;
  outreach: OutreachService;
  analytics: AnalyticsService;
  partitions: PartitionKeeper;
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    // Credentials never reach the log, whichever field they travel in.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'token', '*.token'], censor: '[redacted]' },
  });
}

export async function createRapport(
  overrides: Partial<Config> & {
    log?: Logger;
    inbox?: InboxOptions;
    outreach?: Pick<OutreachDeps, 'senders' | 'loyaltyVariables' | 'loyaltyStatements' | 'sentimentOf'>;
    /** How the analytics digest is mailed; by default SMTP at config.smtpUrl, as the loop's notices. */
    analyticsMail?: SendMail;
    /** Where "now" comes from; the wall clock unless a test names its instant. */
    clock?: Clock;
    /** The job queues' schema: a test app has its own, so its workers never see another app's jobs. */
    jobsSchema?: string;
  } = {},
): Promise<Rapport> {
  const config = { ...loadConfig(), ...overrides };
  const log = overrides.log ?? createLogger(config);
  const db = await openDatabase({ url: config.databaseUrl, readUrl: config.databaseReadUrl, dataDir: config.dataDir, log });
  // What one node's tenant caches forget, every node forgets (several nodes may share this database).
  const cacheNotices = createCacheNotices({ url: db.url, pool: db.pool, log, isEmbedded: db.isEmbedded });
  try {
    await migrateDatabase(db.pool);
    const bus = createEventBus(log);
    const clock = overrides.clock ?? systemClock;
    const jobs = await startJobs(db.url, log, { work: config.jobs, schedule: config.schedule, schema: overrides.jobsSchema });
    const egress = createEgress(config.egressAllow);
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, egress });
    const limiter = createRateLimiter(db.pool);
    const outbox = createOutbox({ pool: db.pool, jobs, clock, log, retryForMs: config.outboxRetryHours * 3_600_000 });
    await cacheNotices.start();
    const ctx = { db, bus, jobs, config, log, mailer, egress, limiter, clock, outbox };
    const customers = createCustomersService(ctx);
    const events = createEventsService({ ...ctx, customers });
    const feedback = createFeedbackService({ ...ctx, customers, events, publicUrl: config.publicUrl });
    resolvedConversationAsksCsat({ bus, feedback });
    const text = createTextService({ ...ctx, customers });
    openAnswersReadByText({ feedback, text });
    const loop = createLoopService({ ...ctx, customers, events });
    detractorOpensCase({ bus, loop });
    negativeMentionOpensCase({ bus, loop });
    const knowledge = createKnowledgeService({ ...ctx, customers });
    const loyalty = createLoyaltyService({ ...ctx, customers, events });
    const portal = createPortalService({ ...ctx, customers, events });
    const widget = createWidgetService({ ...ctx, customers, events, knowledge });
    const listening = createListeningService({ ...ctx, customers, events, topicModelOf: text.topicModelOf });
    await customers.startJobs();
    await feedback.startJobs();
    await text.startJobs();
    await loop.startJobs();
    await loyalty.startJobs();
    await listening.startJobs();
    const inbox = createInboxService(
      { ...ctx, customers, events, openCasesOf: loop.openCasesOf, lastFeedbackOf: feedback.lastFeedbackOf },
      { secretKey: config.secretKey, smtpPort: config.smtpPort, ...overrides.inbox },
    );
    await inbox.start();
    surveysReachWidgetVisitors({ bus, log, customers, feedback, inbox });
    widgetTrustsWebChatVisitors({ widget, inbox });
    cannedRepliesSuggestAnswers({ knowledge, inbox });
    const outreach = createOutreachService({
      ...ctx,
      customers,
      events,
      ...outreachTemplatesReadLoyalty(loyalty),
      ...overrides.outreach,
      senders: { ...outreachLeavesThroughInboxChannels(inbox), ...overrides.outreach?.senders },
    });
    await outreach.startJobs();
    loopNoticesLeaveThroughInboxChannels({ loop, inbox });
    await outbox.start();
    const analytics = createAnalyticsService(
      { ...ctx, loyalty },
      { send: overrides.analyticsMail, segmentMembers: analyticsFiltersByOutreachSegment(outreach) },
    );
    await analytics.startJobs();
    // The big append-only tables' monthly partitions: the next months made ahead, old ones dropped by retention.
    const partitions = createPartitionKeeper({
      pool: db.pool,
      jobs,
      clock,
      log,
      retentionMonths: config.retentionMonths,
      companions: events.retentionCompanions,
    });
    await partitions.start();

    const keyCache = createKeyCache({ url: db.url, pool: db.pool, log, isEmbedded: db.isEmbedded });
    const app = await createHttpServer({ log, pool: db.pool, version: VERSION, trustProxy: config.trustProxy, keyCache, clock, publicUrl: config.publicUrl });
    await app.register(opsRoutes({ db, version: VERSION, metricsToken: config.metricsToken }));
    await app.register(authRoutes({ pool: db.pool, config, limiter, keyCache, clock }));
    await app.register(customersRoutes(customers));
    await app.register(eventsRoutes({ events, customers }));
    await app.register(feedbackRoutes(feedback));
    await app.register(feedbackPublicRoutes(feedback));
    await app.register(loopRoutes(loop));
    await app.register(knowledgeRoutes(knowledge, { publicUrl: () => config.publicUrl }));
    await app.register(helpCentreRoutes(knowledge, { publicUrl: config.publicUrl }));
    await app.register(loyaltyRoutes(loyalty));
    await app.register(portalRoutes({ portal, customers, events, loyalty, config }));
    await app.register(widgetRoutes(widget));
    await app.register(listeningRoutes(listening, { pool: db.pool }));
    await app.register(inboxRoutes(inbox));
    await app.register(outreachRoutes(outreach));
    await app.register(analyticsRoutes(analytics));
    await app.register(
      settingsRoutes(
        createSettings(db.pool, [
          ...customers.settingsAreas,
          ...feedback.settingsAreas,
          ...loop.settingsAreas,
          ...outreach.settingsAreas,
          ...knowledge.settingsAreas,
          ...loyalty.settingsAreas,
        ]),
      ),
    );
    await app.register(textRoutes());
    await app.register(webRoutes());
    await app.ready();
    await keyCache.start();

    return {
      config,
      log,
      db,
      bus,
      jobs,
      clock,
      mailer,
      outbox,
      app,
      customers,
      events,
      feedback,
      loop,
      knowledge,
      loyalty,
      portal,
      widget,
      listening,
      text,
      inbox,
      outreach,
      analytics,
      partitions,
      async close() {
        await analytics.stop();
        await app.close();
        await keyCache.stop();
        await cacheNotices.stop();
        await inbox.stop();
        await bus.drain();
        await jobs.stop();
        mailer.close();
        await egress.close();
        await db.close();
      },
    };
  } catch (err) {
    await cacheNotices.stop();
    await db.close().catch(() => undefined);
    throw err;
  }
}
