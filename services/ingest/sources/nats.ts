/**
 * A source that reads JSON objects, one per message, from a NATS subject in its tenant's
 * namespace (optionally in a queue group, so ingest replicas share the subject). Core NATS
 * keeps nothing for a subscriber that is away or slow: it cannot pause a publisher (its
 * overflow policy is "drop") and a lost connection is a gap.
 *
 * @module
 */

import { InvalidArgumentError } from "../../../shared/errors.ts";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { ingestSubject, type NatsConnection } from "../../../shared/nats.ts";
import { SourceCore } from "../source_core.ts";
import type { Source } from "../source.ts";
import { invalidSpec, type SourceContext, type SourceKind } from "./kind.ts";

const MAX_SUBJECT_LENGTH = 256;

/** Whether a string is a NATS subject (wildcards * and > as whole tokens). */
export function isSubject(subject: string): boolean {
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
  canPause: false,
  create: (spec, context) => createNatsSource(spec, context),
};

/**
 * Subscribes to the spec's subject in the tenant's namespace
 * (`polaroid.ingest.<tenant>.<subject>`) and micro-batches what arrives. The spec must be
 * validated and defaulted (see SourceRegistry) and of the `nats` kind.
 */
export function createNatsSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "nats") {
    throw new TypeError(
      `Cannot create NATS source as 'spec.kind' must be nats: current value is ${spec.kind?.$case}`,
    );
  }
  const { queueGroup } = spec.kind.value;
  const subject = ingestSubject(context.tenant, spec.kind.value.subject);
  const core = new SourceCore(spec, context);
  let sub: ReturnType<NatsConnection["subscribe"]>;
  try {
    sub = context.nats.subscribe(subject, {
      ...(queueGroup ? { queue: queueGroup } : {}),
      callback: (error, msg) => {
        if (error) core.fail(`Cannot read subject ${JSON.stringify(subject)}: ${error.message}`);
        else core.push(msg.data);
      },
    });
  } catch (error) {
    core.batcher.close();
    throw new InvalidArgumentError(
      `Cannot add source as 'spec.nats.subject' must be a valid subject: ${String(error)}`,
      { cause: error },
    );
  }
  return core.source({
    info: () => ({ natsSubject: subject }),
    connection: (event) => {
      if (event.kind === "lost") {
        // Core NATS keeps nothing for a subscriber that is away: a gap in the data.
        core.gap(`NATS connection lost (messages published meanwhile are lost): ${event.detail}`);
      } else {
        core.running();
      }
    },
    close: () => {
      if (!sub.isClosed()) sub.unsubscribe();
    },
  });
}
