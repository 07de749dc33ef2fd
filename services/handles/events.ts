/**
 * Handle lifecycle events on NATS: every registration and every free is published as a
 * protobuf HandleEvent on `polaroid.v1.handles.events.<kind>`, so the compute worker that
 * holds a freed frame drops it.
 *
 * @module
 */

import { HandleEvent, HandleEvent_Kind } from "../../shared/gen/polaroid/v1/handle.ts";
import { HANDLE_EVENTS_SUBJECT, type NatsConnection, traceHeaders } from "../../shared/nats.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import { activeIds, inSpanSync, SpanKind } from "../../shared/telemetry/tracing.ts";
import type { CatalogEvent } from "./catalog.ts";

/** The subject an event is published on. */
export function handleEventSubject(event: CatalogEvent): string {
  return `${HANDLE_EVENTS_SUBJECT}.${event.kind}`;
}

/** The wire form of a catalog event. */
export function toHandleEvent(event: CatalogEvent): HandleEvent {
  return {
    kind: event.kind === "freed" ? HandleEvent_Kind.KIND_FREED : HandleEvent_Kind.KIND_REGISTERED,
    id: event.record.id,
    worker: event.record.worker,
    reason: event.kind === "freed" ? event.reason : "",
    atMs: BigInt(event.atMs),
  };
}

/**
 * A catalog event sink that publishes on NATS. It never throws: a publish that fails (the
 * connection is closed or draining) is logged, and the worker's own TTL bookkeeping is the
 * fallback.
 */
export function natsEventSink(nats: NatsConnection, logger: Logger): (event: CatalogEvent) => void {
  return (event) => {
    const subject = handleEventSubject(event);
    const publish = () => {
      const trace = traceHeaders();
      nats.publish(
        subject,
        HandleEvent.encode(toHandleEvent(event)).finish(),
        trace ? { headers: trace } : undefined,
      );
    };
    try {
      // In the trace that freed (or registered) the handle, the publish is a span whose
      // context the message carries to the workers' receive spans; the sweeper's starts none.
      if (activeIds() === undefined) return publish();
      inSpanSync(`${event.kind === "freed" ? "handle.freed" : "handle.registered"} publish`, {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.system": "nats",
          "messaging.destination.name": subject,
          "polaroid.handle": event.record.id,
        },
      }, publish);
    } catch (error) {
      logger.warn("handle event not published", {
        handle: event.record.id,
        kind: event.kind,
        error: String(error),
      });
    }
  };
}
