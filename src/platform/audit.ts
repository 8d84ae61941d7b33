// Who read or changed what. Written by use cases that touch personal data.
import type { Queryable } from './db.js';
import type { Principal } from './auth.js';
import { newId } from './ids.js';

export interface Actor {
  type: 'api_key' | 'user' | 'system' | 'customer';
  id: string;
}

export function actorOf(p: Principal | undefined): Actor {
  return p ? { type: p.kind, id: p.id } : { type: 'system', id: 'system' };
}

export async function writeAudit(
  db: Queryable,
  tenantId: string,
  actor: Actor,
  action: string,
  subject: { type: string; id: string },
  details: Record<string, unknown> = {},
) {
  await db.query('INSERT INTO audit_log (tenant_id, id, actor_type, actor_id, action, subject_type, subject_id, details) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
    tenantId,
    newId('aud'),
    actor.type,
    actor.id,
    action,
    subject.type,
    subject.id,
    JSON.stringify(details),
  ]);
}
