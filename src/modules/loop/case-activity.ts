// A case's activity is stored in no one's language: what the system did is a code with its params
// (`{"code":"resolved","resolution":"…"}` in the body), and the words shown are chosen when an agent
// reads the case, in that agent's language. What a person wrote (a note, a contact, a resolution) is
// kept as written. Rows written before codes existed hold English text and are shown as they are.
import type pg from 'pg';
import type { Queryable } from '../../platform/db.js';
import type { Actor } from '../../platform/audit.js';
import { newId } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { users } from '../../platform/schema.js';

export type ReaderLanguage = 'en' | 'zh-CN' | 'zh-TW';
export const READER_LANGUAGES = ['en', 'zh-CN', 'zh-TW'] as const;

export type ActivityParams =
  | { code: 'opened' }
  | { code: 'resolved'; resolution: string }
  | { code: 'resolved_by_issue'; issue_id: string; action: string }
  | { code: 'closed_erased' }
  | { code: 'wont_fix'; reason: string }
  | { code: 'first_contact_overdue' }
  | { code: 'resolution_overdue' }
  | { code: 'notice'; status: string; subject: string; error?: string | null };

/** A language tag (a customer's or a console user's) as one of the three Rapport writes in. */
export function readerLanguageOf(tag: string | null | undefined): ReaderLanguage {
  if (!tag) return 'en';
  const t = tag.toLowerCase();
  if (!t.startsWith('zh')) return 'en';
  // Traditional script: Taiwan, Hong Kong, Macau, or the script named outright.
  return /^zh-(tw|hk|mo|hant)(-|$)/.test(t) ? 'zh-TW' : 'zh-CN';
}

export const actorName = (a: Actor) => `${a.type}:${a.id}`;

/** Writes one activity; a system step's body is its code and params, a person's words are kept as written. */
export function writeActivity(
  tx: pg.PoolClient | Queryable,
  tenantId: string,
  caseId: string,
  kind: string,
  body: ActivityParams | string | null,
  actor: Actor,
  at: Date,
  channel?: string,
) {
  const stored = body === null || typeof body === 'string' ? body : JSON.stringify(body);
  return tx.query('INSERT INTO case_activities (tenant_id, id, case_id, kind, body, channel, actor, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
    tenantId,
    newId('act'),
    caseId,
    kind,
    stored,
    channel ?? null,
    actorName(actor),
    at,
  ]);
}

type Words = {
  opened: string;
  resolved: string;
  resolvedByIssue: string;
  closedErased: string;
  wontFix: string;
  firstContactOverdue: string;
  resolutionOverdue: string;
  notice: Record<string, string>;
  assigned: string;
  team: string;
  owner: string;
  priority: string;
  none: string;
  topicsAdded: string;
  topicsRemoved: string;
};
// The English words are those the activity was written with before it was stored as codes.
const WORDS: Record<ReaderLanguage, Words> = {
  en: {
    opened: 'opened',
    resolved: 'resolved: {1}',
    resolvedByIssue: 'resolved by issue {1}: {2}',
    closedErased: 'resolved: Closed by the system: the customer was erased',
    wontFix: "won't fix: {1}",
    firstContactOverdue: 'first contact overdue',
    resolutionOverdue: 'resolution overdue',
    notice: {
      queued: 'queued',
      sent: 'sent',
      delivered: 'delivered',
      failed: 'failed',
      no_consent: 'no_consent',
      no_channel: 'no_channel',
      no_address: 'no_address',
    },
    assigned: 'assigned',
    team: 'team',
    owner: 'owner',
    priority: 'priority',
    none: 'none',
    topicsAdded: 'topics added',
    topicsRemoved: 'topics removed',
  },
  'zh-CN': {
    opened: '工单已创建',
    resolved: '已解决：{1}',
    resolvedByIssue: '随问题 {1} 一并解决：{2}',
    closedErased: '已由系统关闭：客户已被删除',
    wontFix: '不予处理：{1}',
    firstContactOverdue: '首次联系已超时',
    resolutionOverdue: '解决已超时',
    notice: {
      queued: '等待发送',
      sent: '已发送',
      delivered: '已送达',
      failed: '发送失败',
      no_consent: '客户未同意接收',
      no_channel: '没有可用渠道',
      no_address: '没有联系方式',
    },
    assigned: '已分派',
    team: '团队',
    owner: '负责人',
    priority: '优先级',
    none: '无',
    topicsAdded: '添加主题',
    topicsRemoved: '移除主题',
  },
  'zh-TW': {
    opened: '案件已建立',
    resolved: '已解決：{1}',
    resolvedByIssue: '隨問題 {1} 一併解決：{2}',
    closedErased: '已由系統關閉：客戶已被刪除',
    wontFix: '不予處理：{1}',
    firstContactOverdue: '首次聯繫已逾時',
    resolutionOverdue: '解決已逾時',
    notice: {
      queued: '等待傳送',
      sent: '已傳送',
      delivered: '已送達',
      failed: '傳送失敗',
      no_consent: '客戶未同意接收',
      no_channel: '沒有可用管道',
      no_address: '沒有聯絡方式',
    },
    assigned: '已指派',
    team: '團隊',
    owner: '負責人',
    priority: '優先順序',
    none: '無',
    topicsAdded: '新增主題',
    topicsRemoved: '移除主題',
  },
};

// Bodies that rows written before codes existed carry for a system step.
const LEGACY: Record<string, ActivityParams> = {
  opened: { code: 'opened' },
  'first contact overdue': { code: 'first_contact_overdue' },
  'resolution overdue': { code: 'resolution_overdue' },
};

function paramsOf(kind: string, body: string | null): Record<string, unknown> | null {
  if (body === null) return null;
  if (kind === 'note' || kind === 'contact') return null;
  if (LEGACY[body]) return LEGACY[body]!;
  if (!body.startsWith('{')) return null;
  try {
    const p = JSON.parse(body) as unknown;
    return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const fill = (s: string, ...v: unknown[]) => s.replace(/\{(\d)\}/g, (_, i: string) => String(v[Number(i) - 1] ?? ''));

/** The activity's words in the reader's language, and its params when it has them. */
export function renderActivity(kind: string, body: string | null, lang: ReaderLanguage): { body: string | null; params: Record<string, unknown> | null } {
  const p = paramsOf(kind, body);
  if (!p) return { body, params: null };
  const w = WORDS[lang];
  const text = (() => {
    switch (p.code) {
      case 'opened':
        return w.opened;
      case 'resolved':
        return fill(w.resolved, p.resolution);
      case 'resolved_by_issue':
        return fill(w.resolvedByIssue, p.issue_id, p.action);
      case 'closed_erased':
        return w.closedErased;
      case 'wont_fix':
        return fill(w.wontFix, p.reason);
      case 'first_contact_overdue':
        return w.firstContactOverdue;
      case 'resolution_overdue':
        return w.resolutionOverdue;
      case 'notice':
        return `${w.notice[p.status as string] ?? p.status}: ${p.subject}${p.error ? ` (${p.error})` : ''}`;
      default:
        break;
    }
    // Assignments and topic corrections were always stored as their fields.
    if (kind === 'assignment') {
      const parts = (
        [
          ['team', w.team],
          ['owner_id', w.owner],
          ['priority', w.priority],
        ] as const
      )
        .filter(([k]) => k in p)
        .map(([k, label]) => `${label}: ${p[k] ?? w.none}`);
      return lang === 'en' ? `${w.assigned} (${parts.join(', ')})` : `${w.assigned}（${parts.join('，')}）`;
    }
    if (kind === 'topics') {
      const list = (v: unknown) => (Array.isArray(v) ? v.join(lang === 'en' ? ', ' : '、') : '');
      const sep = lang === 'en' ? ': ' : '：';
      return [
        Array.isArray(p.add) && p.add.length ? `${w.topicsAdded}${sep}${list(p.add)}` : '',
        Array.isArray(p.remove) && p.remove.length ? `${w.topicsRemoved}${sep}${list(p.remove)}` : '',
      ]
        .filter(Boolean)
        .join(lang === 'en' ? '; ' : '；');
    }
    return body;
  })();
  return { body: text, params: p };
}

/** The language a console reader asked for, else their own locale, else English. */
export async function readerLanguage(db: Queryable, tenantId: string, actor: Actor, asked?: string): Promise<ReaderLanguage> {
  if (asked) return readerLanguageOf(asked);
  if (actor.type !== 'user') return 'en';
  const u = await queryRow(db, rowOf(users, ['locale']), 'SELECT locale FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, actor.id]);
  return readerLanguageOf(u?.locale);
}
