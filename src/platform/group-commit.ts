// Group commit: a tenant's requests that arrive while its writes are under way wait, and go together in
// the next write, so many requests share one transaction and one commit. Everything that arrives in one
// turn of the event loop joins the batch. The module using it says how many writes may be in flight per
// tenant on a node, how many requests a batch holds and which may share one; its write answers each
// request, once what it wrote has committed. The inbox stores inbound messages this way
// (inbound-queue.ts), the feedback module survey responses (write-response-batches.ts) and the marks
// its triggers keep of events (run-triggers.ts), the loyalty module the API's earns and spends
// (write-ledger-batches.ts).

export interface Pending<Req, Res> {
  request: Req;
  resolve(answer: Res): void;
  reject(err: unknown): void;
}

export interface GroupCommitOptions<Req, Res> {
  /** Writes in flight per tenant on a node: the next batch gathers while these commit. */
  maxInFlight: number;
  maxBatch: number;
  /**
   * A check for a new batch, given each request in turn: whether it may join (at most one per account,
   * say). A request turned away waits for a later batch; the batch's first request joins whatever the
   * check says. Default: every request may.
   */
  admit?: () => (request: Req) => boolean;
  /** Writes a batch and answers each of its requests; a request it leaves unanswered on a throw gets the error. */
  write(tenantId: string, batch: Pending<Req, Res>[]): Promise<void>;
}

export function createGroupCommit<Req, Res>(opts: GroupCommitOptions<Req, Res>) {
  const tenants = new Map<string, { queue: Pending<Req, Res>[]; inFlight: number; isScheduled: boolean }>();
  // Requests submitted and not yet answered, and who waits for there to be none (drain).
  let unanswered = 0;
  const drained: (() => void)[] = [];
  const answered = () => {
    if (--unanswered === 0) for (const wake of drained.splice(0)) wake();
  };

  function take(queue: Pending<Req, Res>[]): [Pending<Req, Res>[], Pending<Req, Res>[]] {
    if (!opts.admit) return [queue.slice(0, opts.maxBatch), queue.slice(opts.maxBatch)];
    const admits = opts.admit();
    const batch: Pending<Req, Res>[] = [];
    const rest: Pending<Req, Res>[] = [];
    for (let i = 0; i < queue.length; i++) {
      // A full batch leaves the rest of a backlog unread; the first request always goes, or a check
      // that turned every request away would leave them waiting for ever.
      if (batch.length === opts.maxBatch) return [batch, rest.concat(queue.slice(i))];
      (admits(queue[i].request) || !batch.length ? batch : rest).push(queue[i]);
    }
    return [batch, rest];
  }

  function schedule(tenantId: string) {
    const s = tenants.get(tenantId);
    if (!s || s.isScheduled || s.inFlight >= opts.maxInFlight || !s.queue.length) return;
    s.isScheduled = true;
    setImmediate(() => {
      s.isScheduled = false;
      const [batch, rest] = take(s.queue);
      s.queue = rest;
      s.inFlight++;
      opts
        .write(tenantId, batch)
        .catch((err: unknown) => {
          for (const p of batch) p.reject(err);
        })
        .finally(() => {
          s.inFlight--;
          if (!s.queue.length && !s.inFlight) tenants.delete(tenantId);
          else schedule(tenantId);
        });
      schedule(tenantId);
    });
  }

  return {
    /** Books the request in the tenant's next batch; answers with what the write gives it. */
    submit(tenantId: string, request: Req): Promise<Res> {
      let s = tenants.get(tenantId);
      if (!s) tenants.set(tenantId, (s = { queue: [], inFlight: 0, isScheduled: false }));
      const state = s;
      unanswered++;
      return new Promise<Res>((resolve, reject) => {
        let isAnswered = false;
        const once =
          <A>(settle: (a: A) => void) =>
          (a: A) => {
            if (isAnswered) return;
            isAnswered = true;
            settle(a);
            answered();
          };
        state.queue.push({ request, resolve: once(resolve), reject: once(reject) });
        schedule(tenantId);
      });
    },
    /** Resolves once every request submitted so far, and any submitted meanwhile, has been answered. */
    drain(): Promise<void> {
      return unanswered ? new Promise((r) => drained.push(r)) : Promise.resolve();
    },
  };
}
