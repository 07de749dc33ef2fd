/**
 * A source that reads JSON objects from a subject kept by JetStream (the stream
 * POLAROID_INGEST holds `polaroid.durable.>`), in stream order, through an ordered consumer
 * filtered to `polaroid.durable.<tenant>.<subject>`.
 *
 * Exactly once: the live table is the source's cursor. Each segment is committed with the
 * highest stream sequence it holds; a source that starts (after a crash too) reads from the
 * sequence after the one its table committed, and the ordered consumer restarts itself after
 * any gap in what it was delivered, so that nothing is skipped and nothing read twice
 * (docs/adr/0012-the-live-table-is-the-cursor.md). The source fetches only while the batches
 * waiting for their commit are under the bound ("block").
 *
 * @module
 */

import {
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  type JsMsg,
  RetentionPolicy,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { FailedPreconditionError } from "../../../shared/errors.ts";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import {
  DURABLE_INGEST_STREAM,
  DURABLE_SUBJECT_PREFIX,
  durableSubject,
  type NatsConnection,
} from "../../../shared/nats.ts";
import { SourceCore } from "../source_core.ts";
import { backoffMs, pause, within } from "./backoff.ts";
import type { Source } from "../source.ts";
import {
  type DurableStreamLimits,
  invalidSpec,
  type SourceContext,
  type SourceKind,
} from "./kind.ts";
import { isSubject } from "./nats.ts";

/** Messages asked for per fetch (at most). */
const FETCH_MAX = 1000;
/** How long a fetch waits for messages. */
const FETCH_EXPIRES_MS = 1000;

/** JetStream sources. */
export const JETSTREAM_SOURCE: SourceKind<"jetstream"> = {
  resolve({ subject, deliver }) {
    if (!isSubject(subject)) {
      throw invalidSpec(
        "spec.jetstream.subject",
        "be a NATS subject (dot-separated tokens, no spaces, wildcards * and > as whole tokens)",
        JSON.stringify(subject.slice(0, 80)),
      );
    }
    const resolved = deliver || "all";
    if (resolved !== "all" && resolved !== "new") {
      throw invalidSpec("spec.jetstream.deliver", 'be "all" or "new"', JSON.stringify(deliver));
    }
    return { subject, deliver: resolved };
  },
  canPause: true,
  create: (spec, context) => createJetStreamSource(spec, context),
};

const DEFAULT_LIMITS: DurableStreamLimits = { maxBytes: 1024 ** 3, maxAgeSeconds: 7 * 86_400 };

/** The stream, made once per connection. */
const streams = new WeakMap<NatsConnection, Promise<void>>();

/** Creates (or updates) the durable ingest stream. */
function ensureStream(nc: NatsConnection, limits: DurableStreamLimits): Promise<void> {
  let made = streams.get(nc);
  if (!made) {
    made = (async () => {
      const jsm = await jetstreamManager(nc);
      const config = {
        name: DURABLE_INGEST_STREAM,
        subjects: [`${DURABLE_SUBJECT_PREFIX}.>`],
        retention: RetentionPolicy.Limits,
        // Publishers are refused when it is full, rather than unread messages dropped.
        discard: DiscardPolicy.New,
        max_bytes: limits.maxBytes,
        max_age: nanos(limits.maxAgeSeconds * 1000),
        duplicate_window: nanos(120_000),
      };
      await jsm.streams.add(config).catch(async () =>
        await jsm.streams.update(DURABLE_INGEST_STREAM, config)
      );
    })();
    streams.set(nc, made);
    made.catch(() => streams.delete(nc));
  }
  return made;
}

/**
 * Starts reading the spec's subject after what its live table holds. The spec must be
 * validated, defaulted and of the `jetstream` kind; the source only runs with a live table.
 */
export function createJetStreamSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "jetstream") {
    throw new TypeError(
      `Cannot create JetStream source as 'spec.kind' must be jetstream: current value is ${spec.kind?.$case}`,
    );
  }
  if (!context.live) {
    throw new FailedPreconditionError(
      "Cannot add a JetStream source as the ingest service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET): its messages are acknowledged once durable there",
      { metadata: { field: "spec.kind" } },
    );
  }
  const subject = durableSubject(context.tenant, spec.kind.value.subject);
  const deliver = spec.kind.value.deliver === "new" ? DeliverPolicy.New : DeliverPolicy.All;
  // Offsets are per subject: a table written by a source on another subject before does
  // not move this one's cursor.
  const offsetKey = `jetstream:${subject}`;
  /** The highest sequence taken into a batch; the table's committed one at start. */
  let seen = Number(context.live.writer.offsets[offsetKey] ?? 0);
  const core = new SourceCore(spec, context, {
    offsets: (marks, before) => {
      const last = (marks.at(-1) as JsMsg | undefined)?.info.streamSequence;
      return last === undefined ? { ...before } : { ...before, [offsetKey]: String(last) };
    },
  });
  const stop = new AbortController();
  const run = (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        await ensureStream(context.nats, context.durableStream ?? DEFAULT_LIMITS);
        // From the message after the last one taken: after a restart, after the table's end.
        const consumer = await jetstream(context.nats).consumers.get(
          DURABLE_INGEST_STREAM,
          seen > 0
            ? {
              filter_subjects: subject,
              deliver_policy: DeliverPolicy.StartSequence,
              opt_start_seq: seen + 1,
            }
            : { filter_subjects: subject, deliver_policy: deliver },
        );
        while (!stop.signal.aborted) {
          await core.room();
          if (stop.signal.aborted) break;
          const messages = await consumer.fetch({
            max_messages: Math.min(FETCH_MAX, spec.maxBatchRows),
            expires: FETCH_EXPIRES_MS,
          });
          for await (const m of messages) {
            const seq = m.info.streamSequence;
            // The ordered consumer delivers in stream order; anything at or below what was
            // taken is not taken twice.
            if (seq <= seen) continue;
            seen = seq;
            core.push(m.data, m);
          }
          if (core.state === "retrying") core.running();
          failures = 0;
        }
      } catch (error) {
        if (stop.signal.aborted) break;
        failures++;
        const delay = backoffMs(failures);
        core.retrying(
          `Cannot read JetStream subject ${JSON.stringify(subject)}: ${
            error instanceof Error ? error.message : String(error)
          }`,
          Date.now() + delay,
        );
        await pause(delay, stop.signal);
      }
    }
  })();
  return core.source({
    info: () => ({ natsSubject: subject }),
    connection: (event) => {
      // JetStream keeps what is published meanwhile: no gap, only a pause.
      if (event.kind === "lost") core.retrying(`NATS connection lost: ${event.detail}`);
    },
    close: async () => {
      stop.abort();
      // The fetch under way ends within its expiry.
      await within(run, FETCH_EXPIRES_MS * 3);
    },
  });
}
