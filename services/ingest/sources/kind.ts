/**
 * What a kind of ingest source brings (one file per kind in this folder, collected in
 * `SOURCE_KINDS`): the check of its part of the spec, with the server's defaults filled in,
 * and the factory of a running source. The registry and the service know no kind by name.
 *
 * @module
 */

import { InvalidArgumentError } from "../../../shared/errors.ts";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import type { IngestCredential } from "../../../shared/config.ts";
import type { NatsConnection } from "../../../shared/nats.ts";
import type { OutboundPolicy } from "../../../shared/outbound.ts";
import type { StateStore } from "../../../shared/state_store/store.ts";
import type { LiveWriter } from "../live_writer.ts";
import type { ParsePool } from "../parse_pool.ts";
import type { BatcherObserver, Timers } from "../batcher.ts";
import type { Source } from "../source.ts";

/** The kinds of source a spec may name (its `kind` oneof). */
export type SourceKindName = NonNullable<SourceSpec["kind"]>["$case"];

/** The kind-specific part of a spec of kind `K`. */
export type KindValue<K extends SourceKindName> = Extract<
  NonNullable<SourceSpec["kind"]>,
  { $case: K }
>["value"];

/** What a running source of any kind may use. */
export interface SourceContext {
  /** The tenant it reads for. */
  tenant: string;
  /** The service's NATS connection (NATS sources). */
  nats: NatsConnection;
  /** Counts its batches, rows and drops. @default none */
  observer?: BatcherObserver;
  /** @default the runtime's timers */
  timers?: Timers;
  /**
   * The live table the source appends to (`spec.table`, opened: its writer knows the
   * offsets committed last), when the service has a state store. @default none
   */
  live?: { writer: LiveWriter; store: StateStore };
  /** Where sources may connect out to (POLAROID_INGEST_ALLOW_HOSTS). */
  outbound: OutboundPolicy;
  /** Credentials by "<tenant>/<name>" (POLAROID_INGEST_CREDENTIALS_FILE). @default none */
  credentials?: ReadonlyMap<string, IngestCredential>;
  /** Parses batches off the event loop, for sources with a live table. @default parsed here */
  parser?: ParsePool;
  /** The durable ingest stream's limits (JetStream sources). @default 1 GiB, 7 days */
  durableStream?: DurableStreamLimits;
}

/**
 * The limits of the JetStream stream durable sources read (POLAROID_INGEST_STREAM_MAX_BYTES,
 * POLAROID_INGEST_STREAM_MAX_AGE_SECONDS); publishers are refused past them.
 */
export interface DurableStreamLimits {
  maxBytes: number;
  maxAgeSeconds: number;
}

/** One kind of source. */
export interface SourceKind<K extends SourceKindName> {
  /**
   * Checks the kind's part of a spec and fills in its defaults; InvalidArgumentError names
   * the field (`spec.<kind>.<field>`).
   */
  resolve(value: KindValue<K>): KindValue<K>;
  /**
   * Whether the kind can stop reading its upstream when batches wait too long for their
   * commit (the "block" overflow policy); those that cannot only "drop".
   */
  canPause: boolean;
  /** Starts a source from a resolved spec of this kind. */
  create(spec: SourceSpec, context: SourceContext): Source | Promise<Source>;
}

/** The error of a bad field of a spec, naming it. */
export function invalidSpec(field: string, must: string, current: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `Cannot add source as '${field}' must ${must}: current value is ${current}`,
    { metadata: { field } },
  );
}

/**
 * A "host:port" of a spec (a Kafka broker, a gRPC target) as a URL for the outbound check;
 * InvalidArgumentError naming `field` for anything else (a path, credentials, no port).
 */
export function hostPort(text: string, field: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(`tcp://${text}`);
  } catch {
    url = undefined;
  }
  if (
    !url || url.port === "" || url.pathname !== "" || url.username !== "" || url.password !== "" ||
    url.host !== text.toLowerCase()
  ) {
    throw invalidSpec(field, 'be "host:port"', JSON.stringify(text.slice(0, 80)));
  }
  return url;
}
