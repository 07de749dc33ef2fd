/**
 * A source that reads JSON objects, one per message, from a NATS subject in its tenant's
 * namespace (optionally in a queue group, so ingest replicas share the subject).
 *
 * @module
 */

import { FailedPreconditionError, InvalidArgumentError } from "../../../shared/errors.ts";
import type { SourceInfo, SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { ingestSubject, type NatsConnection } from "../../../shared/nats.ts";
import { Batcher, type BatcherObserver, type Timers } from "../batcher.ts";
import { type Source, type SourceState, toSourceInfo } from "../source.ts";
import { invalidSpec, type SourceKind } from "./kind.ts";

const MAX_SUBJECT_LENGTH = 256;

function isSubject(subject: string): boolean {
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) return false;
  const tokens = subject.split(".");
  return tokens.every((token, i) =>
    token.length > 0 && !/\s/.test(token) &&
    (token === "*" || (token === ">" && i === tokens.length - 1) || !/[*>]/.test(token))
  );
}

/** NATS sources: a subject in the tenant's namespace, optionally a queue group. */
export const NATS_SOURCE: SourceKind<"nats"> = {
  resolve({ subject, queueGroup }) {
    if (!isSubject(subject)) {
      throw invalidSpec(
        "spec.nats.subject",
        "be a NATS subject (dot-separated tokens, no spaces, wildcards * and > as whole tokens)",
        JSON.stringify(subject.slice(0, 80)),
      );
    }
    if (queueGroup !== "" && !/^[^\s*>]{1,256}$/.test(queueGroup)) {
      throw invalidSpec(
        "spec.nats.queue_group",
        "have no spaces or wildcards",
        JSON.stringify(queueGroup.slice(0, 80)),
      );
    }
    return { subject, queueGroup };
  },
  create: (spec, context) =>
    createNatsSource(spec, {
      nats: context.nats,
      tenant: context.tenant,
      ...(context.observer ? { observer: context.observer } : {}),
      ...(context.timers ? { timers: context.timers } : {}),
    }),
};

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
  let gaps = 0;
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
      ...toSourceInfo(spec, state, batcher.stats(), gaps),
      natsSubject: subject,
    }),
    connection: (event) => {
      if (state === "stopped" || state === "failed") return;
      if (event.kind === "lost") {
        // Core NATS keeps nothing for a subscriber that is away: a gap in the data.
        gaps++;
        options.observer?.onGap?.();
        state = "retrying";
        batcher.recordError(
          `NATS connection lost (messages published meanwhile are lost): ${event.detail}`,
        );
      } else {
        state = "running";
      }
    },
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
