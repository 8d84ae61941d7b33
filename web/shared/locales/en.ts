// English strings for the console and the portal. zh-CN.ts has the same shape (the type checker
// refuses a missing key), so both languages are always complete.
import { casesEn } from './cases.js';
import { surveysEn } from './surveys.js';
import { loyaltyEn } from './loyalty.js';
import { listeningEn } from './listening.js';
import { inboxSettingsEn } from './inbox-settings.js';
import { tenantSettingsEn } from './tenant-settings.js';
import { inboxEn } from './inbox.js';
import { outreachEn } from './outreach.js';
import { knowledgeEn } from './knowledge.js';
import { homeEn } from './home.js';
export const en = {
  inbox: inboxEn,
  cases: casesEn,
  surveys: surveysEn,
  loyalty: loyaltyEn,
  listening: listeningEn,
  inboxSettings: inboxSettingsEn,
  tenantSettings: tenantSettingsEn,
  outreach: outreachEn,
  knowledge: knowledgeEn,
  home: homeEn,
  common: {
    loading: 'Loading…', error: 'Something went wrong. Please try again.', networkError: 'Cannot reach the server. Check your connection.',
    notFound: 'Not found.', forbidden: 'You do not have access to this.', tooMany: 'Too many attempts. Please wait a moment.',
    comingWith: 'This screen arrives with {{what}}.', language: 'Language', skipToContent: 'Skip to content', loadMore: 'Load more',
    search: 'Search', save: 'Save', saved: 'Saved.', cancel: 'Cancel', edit: 'Edit', add: 'Add', remove: 'Remove', actions: 'Actions', yes: 'Yes', no: 'No',
  },
  topicEditor: { correct: 'Correct topics', label: 'Topics (keys, separated by commas)', hint: 'Rapport learns from the correction for texts like this one.' },
  auth: {
    title: 'Sign in to Rapport', tenant: 'Company (tenant)', email: 'Email', password: 'Password', signIn: 'Sign in', logout: 'Sign out',
    wrong: 'Wrong company, email or password.', tooMany: 'Too many failed sign-ins. Try again in 15 minutes.',
  },
  roles: { admin: 'Admin', manager: 'Manager', agent: 'Agent' },
  nav: {
    label: 'Main', work: 'Work', admin: 'Administration', home: 'Home', customers: 'Customers', inbox: 'Inbox', surveys: 'Surveys', cases: 'Cases',
    loyalty: 'Loyalty', listening: 'Listening', analytics: 'Analytics', outreach: 'Outreach', knowledge: 'Knowledge', settings: 'Settings',
  },
  customers: {
    title: 'Customers', subtitle: 'Everyone the company knows, across every channel.', search: 'Search', searchHint: 'Name, email, phone…', searchBy: 'Search by',
    anyField: 'Name or any identity', segment: 'Segment', all: 'All', coreOnly: 'Core customers', notCore: 'Other customers', none: 'No customers match.',
    name: 'Name', value: 'Value', orders: 'Orders', lastSeen: 'Last seen', core: 'Core customer',
  },
  identity: { email: 'Email', phone: 'Phone', wechat_openid: 'WeChat OpenID', wechat_unionid: 'WeChat UnionID', weibo_uid: 'Weibo UID', external_id: 'External ID', anonymous_id: 'Anonymous ID' },
  channel: { email: 'Email', sms: 'SMS', wechat: 'WeChat', weibo: 'Weibo', webchat: 'Web chat', phone: 'Phone', whatsapp: 'WhatsApp', app_push: 'App notifications', web: 'Web page', widget: 'Website widget' },
  purpose: { transactional: 'Transactional', service: 'Service', marketing: 'Marketing' },
  customer: {
    since: 'Customer since {{date}}', mergedFrom: 'Reached through merged profile {{id}}', sections: 'Customer sections',
    tab: { overview: 'Overview', timeline: 'Timeline', consent: 'Consent', merges: 'Merges', loyalty: 'Points and tier', feedback: 'Feedback', cases: 'Cases', messages: 'Messages' },
    profile: 'Profile', givenName: 'Given name', familyName: 'Family name', displayName: 'Display name', locale: 'Locale', timezone: 'Time zone',
    value: 'Value', recency: 'Recency', frequency: 'Frequency', monetary: 'Monetary', clv: 'Lifetime value', coreCustomer: 'Core customer', computedAt: 'Computed',
    activity: 'Activity', firstSeen: 'First seen', lastSeen: 'Last seen', events: 'Events', spend: 'Spend', activityChart: 'Recent activity by month',
    identities: 'Identities', noIdentities: 'No identities.', kind: 'Kind', identityValue: 'Value', removeIdentity: 'Remove {{value}}',
    attributes: 'Attributes', noAttributes: 'No custom attributes.',
    preferences: 'Contact preferences', channelsInOrder: 'Channels, in order of preference', windowStart: 'Contact from', windowEnd: 'Contact until',
    maxPerWeek: 'Most messages per week', language: 'Language',
  },
  timeline: { filters: 'Timeline filters', types: 'Event types', sources: 'Sources', from: 'From', to: 'To', apply: 'Apply', none: 'Nothing on the timeline yet.' },
  eventType: {
    purchase: 'Purchase', refund: 'Refund', page_view: 'Page view', app_action: 'App action', sign_up: 'Sign-up', bill_issued: 'Bill issued',
    application_started: 'Application started', application_completed: 'Application completed', location: 'Location',
    customer: { created: 'Profile created', profile_updated: 'Profile updated', preferences_updated: 'Preferences updated', consent_changed: 'Consent changed', merged: 'Profiles merged' },
    feedback: { widget: 'Feedback from the website' },
  },
  consent: {
    current: 'Current consent', history: 'Consent history', none: 'No consent recorded.', channel: 'Channel', purpose: 'Purpose', status: 'Status',
    source: 'Source', sourceHint: 'e.g. phone call, store form', when: 'When', granted: 'Granted', withdrawn: 'Withdrawn', record: 'Record',
  },
  merge: {
    history: 'Merge history', none: 'This profile has not been merged.', when: 'When', survivor: 'Kept', merged: 'Merged in', rule: 'Rule',
    title: 'Merge another profile into this one', explain: 'The other profile\'s identities, events and history move here; its id keeps leading to this profile.',
    otherId: 'Other customer id', preview: 'Compare', keeps: 'Keeps', absorbs: 'Absorbs', confirm: 'Merge {{other}} into this profile',
  },
  settings: {
    tab: { users: 'Users', 'api-keys': 'API keys', attributes: 'Attributes', widget: 'Website widget', channels: 'Channels', teams: 'Teams', sla: 'SLA policies', routing: 'Routing', policies: 'Policies' },
    adminOnly: 'Only administrators can change settings.', users: 'Users', addUser: 'Add a user', name: 'Name', role: 'Role', roleOf: 'Role of {{name}}', status: 'Status',
    active: 'Active', disabled: 'Disabled', enable: 'Enable', disable: 'Disable', passwordHint: 'At least 10 characters.',
    apiKeys: 'API keys', noKeys: 'No API keys.', newKey: 'New API key', scopes: 'Scopes', lastUsed: 'Last used', revoked: 'Revoked', revoke: 'Revoke',
    createKey: 'Create key', tokenOnce: 'Copy this key now; it is not shown again:',
    attributes: 'Custom attributes', noAttributes: 'No attributes defined.', key: 'Key', type: 'Type', label: 'Label', define: 'Define',
    widget: 'Website widget', widgetExplain: 'Paste this tag before </body> on your site to show the chat and feedback launcher.', widgetNoKey: 'No widget key yet.',
    widgetCreate: 'Create the widget key', rotateKey: 'New key', allowedOrigins: 'Allowed sites', originsHint: 'One origin per line, such as https://www.example.com. Empty: any site.',
    widgetFeedback: 'Feedback from the widget', noFeedback: 'No feedback yet.', feedbackEmail: 'left the address {{email}} (not verified)',
  },
  scope: { ingest: 'send events', read: 'read data', write: 'change data', admin: 'manage keys, users and settings' },
  portal: {
    signIn: {
      title: 'Sign in to {{tenant}}', titleNoTenant: 'Sign in', explain: 'Enter the email address you use with us. We will send you a 6-digit code and a sign-in link.',
      email: 'Email address', send: 'Send me a code', sent: 'If this address belongs to an account, a code is on its way. It works once, for 10 minutes.',
      code: '6-digit code', verify: 'Sign in', wrong: 'That code is wrong, used or expired.', tooMany: 'Too many attempts. Please try again in 15 minutes.',
      linkFailed: 'This link was used or has expired. Ask for a new code.', checking: 'Signing you in…', another: 'Use another address',
      noTenant: 'Open the link your company gave you (it ends with the company name).',
    },
    hello: 'Hello, {{name}}', signOut: 'Sign out', sections: 'Your account',
    tab: { profile: 'Profile', history: 'History', rewards: 'Points and rewards', preferences: 'Preferences', privacy: 'My data' },
    profile: { title: 'Your profile', identities: 'How we know you', saved: 'Your profile is saved.' },
    history: { title: 'Everything between you and us', none: 'Nothing yet.', reply: 'Our reply' },
    rewards: {
      title: 'Points and rewards', explain: 'Your points, tier progress and the rewards you can choose.', points: 'points',
      pending: '{{points}} more points are on their way (pending).', expiring: '{{points}} points expire by {{date}}.',
      tier: 'Your tier: {{tier}}', noTier: 'No tier yet', toNext: '{{points}} more qualifying points to {{tier}}',
      catalogue: 'Rewards you can choose', none: 'No rewards to choose from right now.', cost: '{{points}} points', redeem: 'Redeem', soldOut: 'Sold out',
      redeemLabel: 'Redeem {{reward}}', confirm: 'Redeem {{reward}} for {{points}} points?', voucherTitle: 'Your {{reward}}', voucher: 'Your voucher code:', voucherUntil: 'Valid until {{date}}.',
      vouchers: 'Your vouchers', noVouchers: 'You have not redeemed a reward yet.', code: 'Code', reward: 'Reward', status: 'Status', expires: 'Valid until',
      voucherStatus: { issued: 'Ready to use', used: 'Used', cancelled: 'Cancelled', expired: 'Expired' },
      historyTitle: 'Points history', noHistory: 'No points movements yet.', when: 'Date', what: 'What happened', change: 'Points',
      movement: { earned: 'Earned', pending: 'Pending', released: 'Now available', spent: 'Spent', expired: 'Expired', refunded: 'Taken back (refund)', returned: 'Returned', adjusted: 'Adjusted' },
      reasons: { purchase: 'Purchase', manual: 'Added by our team', referral: 'Referring a friend', surprise: 'A surprise for visiting us', redemption: 'Reward redeemed', event: 'Activity', merge: 'Accounts combined', job: 'Scheduled', engagement: 'Taking part', expiry: 'Expiry' },
      pendingPoints: '{{points}} pending',
    },
    prefs: { title: 'How and when we contact you', saved: 'Your preferences are saved.' },
    consent: { title: 'What we may contact you about', explain: 'Switch each one on or off at any time. Transactional messages (receipts, security) are always sent.', toggle: '{{purpose}} by {{channel}}', on: 'On', off: 'Off' },
    privacy: {
      title: 'Your data', download: 'Download all my data (JSON)', downloadExplain: 'Everything we hold about you, in one file.',
      eraseTitle: 'Erase my personal data', eraseExplain: 'We remove your name, contact details, messages and feedback. Anonymous figures (such as amounts of past purchases) remain. This cannot be undone.',
      eraseConfirm: 'I understand this cannot be undone', erase: 'Erase my data', erased: 'Your personal data has been erased and you are signed out.',
    },
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof en>;
