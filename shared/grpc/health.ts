/**
 * grpc.health.v1.Health for every Polaroid gRPC server.
 *
 * @module
 */

import {
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthService,
} from "../gen/grpc/health/v1/health.ts";
import { NotFoundError } from "../errors.ts";
import { bind, type ServiceBinding } from "./types.ts";

export { ServingStatus };

/** The serving status of a server ("") and of each of its services. */
export class HealthState {
  #statuses = new Map<string, ServingStatus>();
  #watchers = new Set<() => void>();
  #listeners = new Set<() => void>();

  constructor(services: readonly string[]) {
    for (const name of ["", ...services]) this.#statuses.set(name, ServingStatus.SERVING);
  }

  /** Sets every service's status (e.g. NOT_SERVING while draining). */
  setAll(status: ServingStatus): void {
    for (const name of this.#statuses.keys()) this.#statuses.set(name, status);
    for (const wake of this.#watchers) wake();
    for (const listener of this.#listeners) listener();
  }

  /** Calls `listener` after every change of status; returns what stops it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  /** True when the server as a whole is SERVING. */
  get serving(): boolean {
    return this.#statuses.get("") === ServingStatus.SERVING;
  }

  /** The gRPC binding of the Health service. */
  binding(): ServiceBinding {
    return bind(HealthService, {
      check: (request) => {
        const status = this.get(request.service);
        if (status === undefined) {
          return Promise.reject(new NotFoundError(`unknown service ${request.service}`));
        }
        return Promise.resolve({ status });
      },
      watch: (request, ctx) => this.#watch(request.service, ctx.signal),
    });
  }

  async *#watch(service: string, signal: AbortSignal) {
    let last: ServingStatus | undefined;
    while (!signal.aborted) {
      const status = this.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
      if (status !== last) {
        last = status;
        yield { status };
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#watchers.delete(wake);
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.#watchers.add(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
  }
}
