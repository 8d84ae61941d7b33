// SQL other modules embed to select customers by what they did, without reading the events table
// themselves: the count of a customer's events of one type since a time. Uses the timeline index.
/**
 * `customerCol` is a column expression of the embedding query; `tenant`, `type` and `since` are
 * placeholders ($n) bound by the caller.
 */
export function customerEventCountSql(customerCol: string, p: { tenant: string; type: string; since: string }): string {
  return `(SELECT count(*) FROM customer_events e WHERE e.tenant_id = ${p.tenant} AND e.customer_id = ${customerCol} AND e.type = ${p.type} AND e.occurred_at >= ${p.since})`;
}
