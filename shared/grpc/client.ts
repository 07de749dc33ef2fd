/**
 * Calling gRPC services: typed from the generated definitions, with deadlines, the tenant
 * header, and errors decoded back into PolaroidError classes. Every connection is read
 * through a GoawayShield (shielded_credentials.ts): a server that drains does not crash the
 * client (denoland/deno#36788, docs/adr/0005), and the calls it did not take are retried.
 *
 * @module
 */

import { AUTHORIZATION_METADATA_KEY } from "../auth/authenticator.ts";
import { injectCallContext } from "./tracing.ts";
import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import { shieldedCredentials, type ShieldObserver } from "./shielded_credentials.ts";
import { fromServiceError } from "./status.ts";
import {
  type RequestOf,
  type ResponseOf,
  type ServiceDefinition,
  TENANT_METADATA_KEY,
} from "./types.ts";

type Keys<S, Req extends boolean, Res extends boolean> = {
  [K in keyof S]: S[K] extends { requestStream: Req; responseStream: Res } ? K : never;
}[keyof S];

/** Resolves when the stream can take more, or has failed or closed. */
function writable(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("error", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("error", done);
    stream.on("close", done);
  });
}

/**
 * Cancels a call on the next turn of the event loop rather than at once. Under Deno 2.9.6, a
 * call cancelled in the same turn it was started sends its request but never the
 * RST_STREAM: the server then streams into a connection window nobody reads, and every other
 * call on the connection stalls until its deadline (measured with 64 workers cancelling
 * half their streams at once: about 50 of 450 calls stalled to their 10 s deadline; deferred,
 * 19,679 calls and none failed). A turn later the request has gone out and the cancel
 * reaches the server (docs/adr/0005).
 */
function cancelSoon(call: { cancel(): void }): void {
  setImmediate(() => call.cancel());
}

/** Options of one call. */
export interface CallOptions {
  /** Milliseconds from now; none: the client's default; Infinity: no deadline. */
  timeoutMs?: number;
  /** Aborts the call. */
  signal?: AbortSignal;
  /** Acts for this tenant instead of the client's own (services calling for a caller). */
  tenant?: string;
  /**
   * Waits, within the deadline, for the server to be reachable instead of failing at once
   * with UNAVAILABLE when it is not (e.g. while it restarts). @default false
   */
  waitForReady?: boolean;
}

/** TLS of a client's connections (PEM texts). */
export interface TlsClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Channel credentials for TLS with `tls`'s CA and client certificate. */
export function tlsCredentials(tls: TlsClientOptions): grpc.ChannelCredentials {
  const bytes = (text?: string) => text === undefined ? null : Buffer.from(text);
  return grpc.credentials.createSsl(bytes(tls.ca), bytes(tls.key), bytes(tls.cert));
}

/** Options of RpcClient. */
export interface RpcClientOptions {
  /** Sent as `x-polaroid-tenant` on every call. */
  tenant?: string;
  /**
   * The caller's credential, an API key or a JWT, sent as `authorization: Bearer <token>`
   * on every call (servers with `POLAROID_AUTH=token` require it). @default none
   */
  token?: string;
  /** Largest message in either direction. @default 64MiB */
  maxMessageBytes?: number;
  /** Default per-call timeout in milliseconds. */
  timeoutMs?: number;
  /** Default of CallOptions.waitForReady. @default false */
  waitForReady?: boolean;
  /**
   * Backoff between attempts to reconnect to a server that went away: the first wait (then
   * ×1.6 per attempt, with jitter) and the longest. A restarted server is called again
   * within about `maxReconnectMs` of being back. @default { initial: 100, max: 2000 }
   */
  reconnectMs?: { initial?: number; max?: number };
  /** Told of every GOAWAY a connection's shield dropped. @default none */
  goawayObserver?: ShieldObserver;
  /**
   * Call over TLS: `ca` verifies the server (PEM; the system's CAs when absent), `cert` and
   * `key` are the client's certificate for servers that ask for one. @default plaintext
   */
  tls?: TlsClientOptions;
  /**
   * The channel's credentials; a test passes plain insecure credentials to see the client
   * without the shield. @default shieldedCredentials() (insecure, shielded)
   */
  credentials?: grpc.ChannelCredentials;
}

/** A typed client of one service over one channel. */
export class RpcClient<S extends ServiceDefinition> {
  readonly #client: grpc.Client;
  readonly #definition: S;
  readonly #options: RpcClientOptions;

  constructor(endpoint: string, definition: S, options: RpcClientOptions = {}) {
    const max = options.maxMessageBytes ?? 64 * 1024 * 1024;
    const credentials = options.credentials ??
      shieldedCredentials({
        ...(options.goawayObserver ? { observer: options.goawayObserver } : {}),
        ...(options.tls ? { inner: tlsCredentials(options.tls) } : {}),
      });
    this.#client = new grpc.Client(endpoint, credentials, {
      "grpc.max_receive_message_length": max,
      "grpc.max_send_message_length": max,
      "grpc.initial_reconnect_backoff_ms": options.reconnectMs?.initial ?? 100,
      "grpc.max_reconnect_backoff_ms": options.reconnectMs?.max ?? 2000,
    });
    this.#definition = definition;
    this.#options = options;
  }

  #prepare(options: CallOptions): { metadata: grpc.Metadata; callOptions: grpc.CallOptions } {
    const waitForReady = options.waitForReady ?? this.#options.waitForReady ?? false;
    const metadata = new grpc.Metadata({ waitForReady });
    const tenant = options.tenant ?? this.#options.tenant;
    if (tenant) metadata.set(TENANT_METADATA_KEY, tenant);
    if (this.#options.token) {
      metadata.set(AUTHORIZATION_METADATA_KEY, `Bearer ${this.#options.token}`);
    }
    injectCallContext(metadata);
    const timeout = options.timeoutMs ?? this.#options.timeoutMs;
    return {
      metadata,
      // Infinity: no deadline (a follow runs until its caller ends it).
      callOptions: timeout === undefined || timeout === Infinity
        ? {}
        : { deadline: Date.now() + timeout },
    };
  }

  /** A unary call. */
  unary<K extends Keys<S, false, false>>(
    method: K,
    request: RequestOf<S[K]>,
    options: CallOptions = {},
  ): Promise<ResponseOf<S[K]>> {
    const def = this.#definition[method]!;
    const { metadata, callOptions } = this.#prepare(options);
    return new Promise((resolve, reject) => {
      const call = this.#client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        metadata,
        callOptions,
        (error, response) => (error ? reject(fromServiceError(error)) : resolve(response!)),
      );
      options.signal?.addEventListener("abort", () => cancelSoon(call), { once: true });
    });
  }

  /** A server-streaming call; breaking out of the loop cancels the call. */
  async *serverStream<K extends Keys<S, false, true>>(
    method: K,
    request: RequestOf<S[K]>,
    options: CallOptions = {},
  ): AsyncGenerator<ResponseOf<S[K]>> {
    const def = this.#definition[method]!;
    const { metadata, callOptions } = this.#prepare(options);
    const call = this.#client.makeServerStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      metadata,
      callOptions,
    );
    const abort = () => cancelSoon(call);
    options.signal?.addEventListener("abort", abort, { once: true });
    let finished = false;
    try {
      for await (const message of call) yield message as ResponseOf<S[K]>;
      finished = true;
    } catch (error) {
      finished = true;
      throw fromServiceError(error);
    } finally {
      options.signal?.removeEventListener("abort", abort);
      if (!finished) cancelSoon(call);
    }
  }

  /** A client-streaming call: sends every request, then awaits the one response. */
  clientStream<K extends Keys<S, true, false>>(
    method: K,
    requests: AsyncIterable<RequestOf<S[K]>> | Iterable<RequestOf<S[K]>>,
    options: CallOptions = {},
  ): Promise<ResponseOf<S[K]>> {
    const def = this.#definition[method]!;
    const { metadata, callOptions } = this.#prepare(options);
    return new Promise((resolve, reject) => {
      let settled = false;
      const call = this.#client.makeClientStreamRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        metadata,
        callOptions,
        (error, response) => {
          settled = true;
          error ? reject(fromServiceError(error)) : resolve(response!);
        },
      );
      options.signal?.addEventListener("abort", () => cancelSoon(call), { once: true });
      (async () => {
        for await (const request of requests) {
          if (settled) return;
          if (!call.write(request)) await writable(call);
        }
        call.end();
      })().catch((error) => {
        cancelSoon(call);
        if (!settled) reject(fromServiceError(error));
      });
    });
  }

  /**
   * A bidirectional call, as grpc-js gives it: write requests, read responses as they come
   * ("data"); its failures ("error") are grpc-js ServiceErrors (fromServiceError() maps them).
   */
  duplex<K extends Keys<S, true, true>>(
    method: K,
    options: CallOptions = {},
  ): grpc.ClientDuplexStream<RequestOf<S[K]>, ResponseOf<S[K]>> {
    const def = this.#definition[method]!;
    const { metadata, callOptions } = this.#prepare(options);
    const call = this.#client.makeBidiStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      metadata,
      callOptions,
    );
    options.signal?.addEventListener("abort", () => cancelSoon(call), { once: true });
    return call as grpc.ClientDuplexStream<RequestOf<S[K]>, ResponseOf<S[K]>>;
  }

  /** Waits until the channel is connected, or rejects after `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.waitForReady(
        Date.now() + timeoutMs,
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}
