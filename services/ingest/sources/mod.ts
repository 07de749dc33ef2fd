/**
 * Every kind of ingest source, by the `kind` oneof case of its spec. A new kind is its own
 * file here, a line in this table, its case in proto/polaroid/v1/ingest.proto, its SDK method
 * and its docs.
 *
 * @module
 */

import type { SourceKind, SourceKindName } from "./kind.ts";
import { GRPC_SOURCE } from "./grpc.ts";
import { JETSTREAM_SOURCE } from "./jetstream.ts";
import { KAFKA_SOURCE } from "./kafka.ts";
import { NATS_SOURCE } from "./nats.ts";
import { REDIS_SOURCE } from "./redis.ts";
import { REST_SOURCE } from "./rest.ts";
import { WEBSOCKET_SOURCE } from "./websocket.ts";

export { invalidSpec, type SourceContext, type SourceKindName } from "./kind.ts";

/** The kinds, by name. */
export const SOURCE_KINDS: { readonly [K in SourceKindName]: SourceKind<K> } = {
  nats: NATS_SOURCE,
  jetstream: JETSTREAM_SOURCE,
  redis: REDIS_SOURCE,
  websocket: WEBSOCKET_SOURCE,
  kafka: KAFKA_SOURCE,
  rest: REST_SOURCE,
  grpc: GRPC_SOURCE,
};
