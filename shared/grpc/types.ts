/**
 * Types that tie handlers and clients to the generated service definitions, so both are
 * typed from the proto and never `any`.
 *
 * @module
 */

import type { Identity } from "../auth/identity.ts";
import type { Metadata } from "@grpc/grpc-js";

/** One method of a generated `...Service` definition. */
export interface MethodDefinition<Req, Res> {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: Req) => Buffer;
  requestDeserialize: (value: Buffer) => Req;
  responseSerialize: (value: Res) => Buffer;
  responseDeserialize: (value: Buffer) => Res;
}

// deno-lint-ignore no-explicit-any
export type AnyMethod = MethodDefinition<any, any>;
export type ServiceDefinition = Record<string, AnyMethod>;

export type RequestOf<M> = M extends { requestDeserialize: (value: Buffer) => infer Q } ? Q
  : never;
export type ResponseOf<M> = M extends { responseDeserialize: (value: Buffer) => infer R } ? R
  : never;

/** What a handler knows of the call besides its request. */
export interface CallContext {
  /** "/package.Service/Method". */
  readonly method: string;
  /**
   * The tenant the call acts for: its verified identity's (shared/auth), or with
   * `POLAROID_AUTH=none` the one `x-polaroid-tenant` names (validated).
   */
  readonly tenant: string;
  /** Who is calling, verified before the handler runs (shared/auth/authenticator.ts). */
  readonly identity: Identity;
  readonly metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /**
   * Aborted when the server begins to stop: a long-lived stream (one that could run past the
   * server's grace period) ends itself then, having finished what it took. @default never
   */
  readonly draining?: AbortSignal;
  /** Extra fields for this call's log line. */
  readonly log: Record<string, unknown>;
  /**
   * Sends response headers before the first message (once; a later call is an error).
   * Absent where no gRPC call stands behind the context.
   */
  readonly sendHeaders?: (headers: Record<string, string>) => void;
}

export type Handler<M> = M extends { requestStream: false; responseStream: false }
  ? (request: RequestOf<M>, ctx: CallContext) => Promise<ResponseOf<M>>
  : M extends { requestStream: false; responseStream: true }
    ? (request: RequestOf<M>, ctx: CallContext) => AsyncIterable<ResponseOf<M>>
  : M extends { requestStream: true; responseStream: false }
    ? (requests: AsyncIterable<RequestOf<M>>, ctx: CallContext) => Promise<ResponseOf<M>>
  : (requests: AsyncIterable<RequestOf<M>>, ctx: CallContext) => AsyncIterable<ResponseOf<M>>;

/** Async handlers for every method of a service definition. */
export type Handlers<S> = { [K in keyof S]: Handler<S[K]> };

/** A service definition and its handlers, ready to be served. */
export interface ServiceBinding {
  definition: ServiceDefinition;
  // deno-lint-ignore no-explicit-any
  handlers: Record<string, (...args: any[]) => unknown>;
}

/** Pairs a definition with its handlers, checking them against each other. */
export function bind<S extends ServiceDefinition>(
  definition: S,
  handlers: Handlers<S>,
): ServiceBinding {
  return { definition, handlers: handlers as ServiceBinding["handlers"] };
}

/** The metadata key that names the calling tenant. */
export const TENANT_METADATA_KEY = "x-polaroid-tenant";
