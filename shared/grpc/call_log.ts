/**
 * The calls a server is running and the last ones it finished, for the web console
 * (docs/observability.md, "Console"): method, tenant, start, duration, status, trace id, and
 * what the handler put in the call's log fields (its plan's outline, handle, rows, engine).
 * Bounded: the running calls are those admitted (health checks left out, at most
 * `maxRunning` shown), the finished ones a ring of `maxRecent`.
 *
 * @module
 */

/** What a call's log fields may add to its view. */
const FIELDS = ["plan", "handle", "rows", "engine", "source"] as const;
/** A log field longer than this is cut (the console shows outlines, not payloads). */
const MAX_FIELD_CHARS = 512;

/** One call as the console shows it. */
export interface CallView {
  method: string;
  tenant: string;
  /** Milliseconds since the epoch. */
  startedAtMs: number;
  /** How long it ran, or has been running. */
  ms: number;
  /** Its gRPC status name; absent while it runs. */
  code?: string;
  traceId?: string;
  plan?: string;
  handle?: string;
  rows?: number;
  engine?: string;
  source?: string;
}

/** What the server tells the log of a call. */
export interface LoggedCall {
  readonly method: string;
  /** Read when viewed: the tenant is known once the call's credentials are verified. */
  readonly tenant: () => string;
  /** The handler's log fields, read when viewed. */
  readonly log: Readonly<Record<string, unknown>>;
}

interface Entry {
  call: LoggedCall;
  startedAtMs: number;
  started: number;
  ms?: number;
  code?: string;
}

/** Options of CallLog. */
export interface CallLogOptions {
  /** Finished calls kept. @default 50 */
  maxRecent?: number;
  /** Running calls shown (the oldest first). @default 100 */
  maxRunning?: number;
}

/** The running and recently finished calls of one server. */
export class CallLog {
  readonly #running = new Set<Entry>();
  readonly #recent: Entry[] = [];
  readonly #maxRecent: number;
  readonly #maxRunning: number;

  constructor(options: CallLogOptions = {}) {
    this.#maxRecent = options.maxRecent ?? 50;
    this.#maxRunning = options.maxRunning ?? 100;
  }

  /** Records a call that began; the function returned records its end (once). */
  begin(call: LoggedCall): (code: string) => void {
    const entry: Entry = { call, startedAtMs: Date.now(), started: performance.now() };
    this.#running.add(entry);
    return (code) => {
      if (!this.#running.delete(entry)) return;
      entry.ms = performance.now() - entry.started;
      entry.code = code;
      this.#recent.push(entry);
      if (this.#recent.length > this.#maxRecent) this.#recent.shift();
    };
  }

  /** The running calls (oldest first) and the finished ones (newest first). */
  view(): { running: CallView[]; recent: CallView[] } {
    const now = performance.now();
    const running = [...this.#running].slice(0, this.#maxRunning).map((e) => viewOf(e, now));
    const recent = this.#recent.map((e) => viewOf(e, now)).reverse();
    return { running, recent };
  }
}

function viewOf(entry: Entry, now: number): CallView {
  const { call } = entry;
  const view: CallView = {
    method: call.method,
    tenant: call.tenant(),
    startedAtMs: entry.startedAtMs,
    ms: Math.round((entry.ms ?? now - entry.started) * 1000) / 1000,
  };
  if (entry.code !== undefined) view.code = entry.code;
  const traceId = call.log.trace_id;
  if (typeof traceId === "string") view.traceId = traceId;
  for (const field of FIELDS) {
    const value = call.log[field];
    if (typeof value === "string") view[field as "plan"] = value.slice(0, MAX_FIELD_CHARS);
    else if (typeof value === "number" && field === "rows") view.rows = value;
  }
  return view;
}
