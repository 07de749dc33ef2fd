/**
 * A source that reads JSON objects, one per message, from a NATS subject in its tenant's
 * namespace (optionally in a queue group, so ingest replicas share the subject).
 *
 * @module
 */

import { FailedPreconditionError, InvalidArgumentError } from "../../shared/errors.ts";
import type { SourceInfo, SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import { ingestSubject, type NatsConnection } from "../../shared/nats.ts";
import { Batcher, type BatcherObserver, type Timers } from "./batcher.ts";
import { type Source, type SourceState, toSourceInfo } from "./source.ts";

/** Options of createNatsSource(). */
export interface NatsSourceOptions {
  nats: NatsConnection;
  /** The tenant whose namespace the subject is in (shared/nats.ts, ingestSubject). */
  tenant: string;
  /** @default none */
  observer?: BatcherObserver;
  /** @default the runtime's timers */
  timers?: Timers;
}

/**
 * Subscribes to the spec's subject in the tenant's namespace
 * (`polaroid.ingest.<tenant>.<subject>`) and micro-batches what arrives. The spec must be
 * validated and defaulted (see SourceRegistry) and of the `nats` kind.
 */
export function createNatsSource(spec: SourceSpec, options: NatsSourceOptions): Source {
  if (spec.kind?.$case !== "nats") {
    throw new TypeError(
      `Cannot create NATS source as 'spec.kind' must be nats: current value is ${spec.kind?.$case}`,
    );
  }
  const { queueGroup } = spec.kind.value;
  const subject = ingestSubject(options.tenant, spec.kind.value.subject);
  const batcher = new Batcher({
    maxBatchRows: spec.maxBatchRows,
    maxBatchDelayMs: spec.maxBatchDelayMs,
    maxBufferBytes: Number(spec.maxBufferBytes),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
  let state: SourceState = "running";
  let sub: ReturnType<NatsConnection["subscribe"]>;
  try {
    sub = options.nats.subscribe(subject, {
      ...(queueGroup ? { queue: queueGroup } : {}),
      callback: (error, msg) => {
        if (error) {
          state = "failed";
          batcher.recordError(`Cannot read subject ${JSON.stringify(subject)}: ${error.message}`);
        } else {
          batcher.push(msg.data);
        }
      },
    });
  } catch (error) {
    batcher.close();
    throw new InvalidArgumentError(
      `Cannot add source as 'spec.nats.subject' must be a valid subject: ${String(error)}`,
      { cause: error },
    );
  }
  return {
    spec,
    info: (): SourceInfo => ({
      ...toSourceInfo(spec, state, batcher.stats()),
      natsSubject: subject,
    }),
    snapshot: () => {
      const ipc = batcher.snapshot();
      if (!ipc) {
        throw new FailedPreconditionError(`source ${spec.name} has no data yet`, {
          metadata: { source: spec.name },
        });
      }
      return ipc;
    },
    close: () => {
      state = "stopped";
      batcher.close();
      if (!sub.isClosed()) sub.unsubscribe();
      return Promise.resolve();
    },
  };
}
