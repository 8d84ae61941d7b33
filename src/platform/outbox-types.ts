// What the outbox and the modules that send through it say to each other: the message as a handler
// sees it, what an attempt came to, the status changes the owner hears, and the state an API shows.
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

export type DeliveryOutcome =
  | { status: 'sent' | 'delivered'; providerId?: string | null }
  | { status: 'failed'; error: string; isPermanent: boolean; retryAfterMs?: number; httpStatus?: number };

export interface OutboxItem<P = Record<string, unknown>> {
  tenantId: string;
  id: string;
  kind: string;
  payload: P;
  /** The number of this attempt (1 for the first). */
  attempts: number;
}

export interface StatusChange {
  status: OutboxStatus;
  /** The cause, for failed and for a retry being waited for. */
  error?: string | null;
  providerId?: string | null;
  at: Date;
  /** Set while a retry is waited for (status queued after a failed attempt). */
  nextAttemptAt?: Date | null;
  attempts: number;
  /** For failed: the provider refused for good (an SMTP 5xx, a hard bounce), so the owner may stop writing to that address. */
  isPermanent?: boolean;
}

export interface OutboxHandler<P = Record<string, unknown>> {
  /** One attempt. Throwing counts as a retryable failure unless the error says it is permanent. */
  deliver(item: OutboxItem<P>): Promise<DeliveryOutcome>;
  /** Told of each status change after it is stored (a failure here is logged, never retried). */
  onStatus?(item: OutboxItem<P>, change: StatusChange): Promise<void>;
}

export interface EnqueueInput<P> {
  tenantId: string;
  /** The owning module's id for the message: one outbox row per message. */
  id: string;
  kind: string;
  payload: P;
  /** How long failures worth retrying are retried; the outbox's default otherwise. */
  retryForMs?: number;
}

export type OutboxState = {
  id: string;
  kind: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  provider_id: string | null;
  next_attempt_at: string | null;
  give_up_at: string;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  attempt_log: { n: number; started_at: string; finished_at: string | null; outcome: string | null; error: string | null; http_status: number | null }[];
};
