/**
 * Per-tenant quotas on one server's calls (docs/security.md, "Quotas"): how many calls a tenant
 * may have in flight at once, and how fast it may start them (a token bucket: `ratePerSecond`
 * refilled, up to `burst` saved). A call over either is refused at once with RESOURCE_EXHAUSTED
 * (LimitExceededError) naming the quota and its variable, with `retryAfterMs` in its metadata
 * (how long until a token is back; for in-flight calls, a short wait) and `retryable`: the SDK
 * waits at least that long before it tries again (sdk/transport/retry.ts). Other tenants are not
 * affected: one tenant cannot take every call slot of a server or flood it.
 *
 * The bounds are per process: with N workers a tenant may have N times as many calls in all.
 * Idle tenants' state is dropped, so inventing tenants costs no memory beyond those calling.
 *
 * @module
 */

import { LimitExceededError } from "../errors.ts";

/** Options of {@link TenantQuotas}; 0 turns a bound off. */
export interface TenantQuotaOptions {
  /** Calls one tenant may have in flight (POLAROID_TENANT_MAX_CALLS). */
  maxCalls: number;
  /** Calls per second one tenant may start, on average (POLAROID_TENANT_RATE). */
  ratePerSecond: number;
  /** Calls a tenant may start at once after being idle (POLAROID_TENANT_BURST). */
  burst: number;
  /** @default performance.now */
  now?: () => number;
}

interface TenantState {
  inFlight: number;
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
}

/** Wait suggested to a tenant refused for calls in flight. */
const IN_FLIGHT_RETRY_MS = 100;

/** Admits calls per tenant within their quotas. */
export class TenantQuotas {
  readonly #options: Required<TenantQuotaOptions>;
  readonly #tenants = new Map<string, TenantState>();

  constructor(options: TenantQuotaOptions) {
    this.#options = { now: () => performance.now(), ...options };
  }

  /** True when no bound is set (every call admitted without bookkeeping). */
  get off(): boolean {
    return this.#options.maxCalls === 0 && this.#options.ratePerSecond === 0;
  }

  /** Tenants with state kept (in flight, or with a bucket not yet full). */
  get tracked(): number {
    return this.#tenants.size;
  }

  /**
   * Admits one call of `tenant`: returns the function that ends it (call it once, when the call
   * ends), or throws LimitExceededError when a quota is used up.
   */
  admit(tenant: string): () => void {
    if (this.off) return () => {};
    const { maxCalls, ratePerSecond, burst } = this.#options;
    const now = this.#options.now();
    const state = this.#tenants.get(tenant) ?? { inFlight: 0, tokens: burst, at: now };
    if (ratePerSecond > 0) {
      state.tokens = Math.min(burst, state.tokens + (now - state.at) * ratePerSecond / 1000);
      state.at = now;
    }
    if (maxCalls > 0 && state.inFlight >= maxCalls) {
      this.#keep(tenant, state);
      throw quotaError(
        `Cannot take the call as tenant '${tenant}' has ${state.inFlight} calls in flight on this server, at most ${maxCalls} may (POLAROID_TENANT_MAX_CALLS)`,
        "tenant_max_calls",
        IN_FLIGHT_RETRY_MS,
      );
    }
    if (ratePerSecond > 0 && state.tokens < 1) {
      this.#keep(tenant, state);
      throw quotaError(
        `Cannot take the call as tenant '${tenant}' may start at most ${ratePerSecond} calls per second on this server, ${burst} at once (POLAROID_TENANT_RATE, POLAROID_TENANT_BURST)`,
        "tenant_rate",
        Math.ceil((1 - state.tokens) * 1000 / ratePerSecond),
      );
    }
    if (ratePerSecond > 0) state.tokens -= 1;
    state.inFlight++;
    this.#tenants.set(tenant, state);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      state.inFlight--;
      this.#keep(tenant, state);
    };
  }

  /** Keeps a tenant's state only while it says something: calls in flight or a bucket short. */
  #keep(tenant: string, state: TenantState): void {
    const { ratePerSecond, burst } = this.#options;
    const now = this.#options.now();
    const full = ratePerSecond === 0 ||
      state.tokens + (now - state.at) * ratePerSecond / 1000 >= burst;
    if (state.inFlight === 0 && full) this.#tenants.delete(tenant);
    else this.#tenants.set(tenant, state);
  }
}

function quotaError(message: string, limit: string, retryAfterMs: number): LimitExceededError {
  return new LimitExceededError(message, {
    metadata: { limit, retryAfterMs: String(retryAfterMs), retryable: "true" },
  });
}
