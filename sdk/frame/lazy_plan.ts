/**
 * The state behind a RemoteLazyFrame: its session, its plan (known, or pending while an
 * input's schema is asked for) and the schema cache it shares with the frames built from
 * it. Builders of new plans run at once on known plans; on pending ones they run once on a
 * probe, so argument errors are thrown at once either way. Also a plan's wire forms
 * (`serializePlan()`, `deserializePlan()`) and the following of a live table's scan.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { RecordBatch, Table } from "apache-arrow";
import { type Plan, Plan as PlanMessage } from "../../shared/gen/polaroid/v1/plan.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { FollowedBatch, FollowOptions, IngestClient } from "../ingest.ts";
import type { Schema } from "../datatypes.ts";
import type { SchemaBuilder } from "../plan/plan_stats.ts";
import { SchemaCache } from "../schema_cache.ts";
import type { CollectOptions, Explanation, Session, StreamOptions } from "../transport/session.ts";

/** What builders of a pending plan are first run on, to throw argument errors at once. */
const PROBE: Plan = Object.freeze({ node: undefined });

/** A frame's plan and what it needs to grow it. */
export class LazyPlan {
  readonly session: Session;
  /** The plan, or its promise while it waits for an input's schema. */
  readonly value: Plan | Promise<Plan>;
  readonly schemas: SchemaCache;

  constructor(session: Session, value: Plan | Promise<Plan>, schemas = new SchemaCache()) {
    this.session = session;
    this.value = value;
    this.schemas = schemas;
    if (value instanceof Promise) value.catch(() => {}); // reported by the calls that use it
  }

  /** The plan; throws TypeError while it is pending. */
  get plan(): Plan {
    if (this.value instanceof Promise) {
      throw new TypeError(
        "Cannot read the plan as it must wait for its input's schema: current value is pending (use resolvePlan())",
      );
    }
    return this.value;
  }

  /** The plan, once known. */
  resolve(): Promise<Plan> {
    return Promise.resolve(this.value);
  }

  /** A plan built on this one; `sameSchema` when the new node keeps the columns and types. */
  next(build: (input: Plan) => Plan, sameSchema = false): LazyPlan {
    const plan = this.value;
    if (plan instanceof Promise) {
      build(PROBE);
      return new LazyPlan(this.session, plan.then(build), this.schemas);
    }
    const next = build(plan);
    if (sameSchema) this.schemas.share(plan, next);
    return new LazyPlan(this.session, next, this.schemas);
  }

  /** A plan built from this one and its schema (at once when the schema is known). */
  typed(build: SchemaBuilder): LazyPlan {
    const plan = this.value;
    const known = plan instanceof Promise ? undefined : this.schemas.known(plan);
    if (known) return this.next((input) => build(input, known));
    const pending = (async () => {
      const input = await plan;
      return build(input, await this.schemaOf(input));
    })();
    return new LazyPlan(this.session, pending, this.schemas);
  }

  /** The schema of `plan` (this one by default), asked once per plan object. */
  async schemaOf(plan?: Plan): Promise<Schema> {
    const target = plan ?? await this.value;
    return this.schemas.resolve(
      target,
      () => this.session.schema({ $case: "plan", value: target }),
    );
  }

  /** Runs the plan into a stored frame: its handle (the frames wrap it). */
  async collect(options: CollectOptions): Promise<HandleInfo> {
    return this.session.execute(await this.value, options);
  }

  /** Runs the plan and downloads the result. */
  async table(options: StreamOptions): Promise<Table> {
    return this.session.table({ $case: "plan", value: await this.value }, options);
  }

  /** Runs the plan and yields the result's record batches. */
  async *batches(options: StreamOptions): AsyncGenerator<RecordBatch> {
    yield* this.session.batches({ $case: "plan", value: await this.value }, options);
  }

  /** The plan as Polars prints it. */
  async explain(): Promise<Explanation> {
    return this.session.explain(await this.value);
  }

  /** A plan built from several (pending ones are waited for); the first one's session. */
  static combine(parts: readonly LazyPlan[], build: (plans: Plan[]) => Plan): LazyPlan {
    const first = parts[0];
    if (first === undefined) {
      throw new TypeError("Cannot combine plans as 'parts' must not be empty: current value is []");
    }
    const plans = parts.map((p) => p.value);
    if (plans.every((p) => !(p instanceof Promise))) {
      return new LazyPlan(first.session, build(plans as Plan[]), first.schemas);
    }
    build(plans.map(() => PROBE));
    return new LazyPlan(first.session, Promise.all(plans).then(build), first.schemas);
  }
}

/**
 * A plan in its wire form: "json" is the proto3 JSON of polaroid.v1.Plan, "bincode"
 * (nodejs-polars' name of its binary format) the protobuf encoding.
 */
export function serializePlan(plan: Plan, format: "json" | "bincode"): Buffer {
  if (format === "bincode") return Buffer.from(PlanMessage.encode(plan).finish());
  if (format !== "json") {
    throw new TypeError(
      `Cannot serialize as 'format' must be "json" or "bincode": current value is ${
        String(format)
      }`,
    );
  }
  return Buffer.from(JSON.stringify(PlanMessage.toJSON(plan)));
}

/** Largest serialized plan `deserializePlan()` reads (the server bounds what it runs). */
export const MAX_SERIALIZED_PLAN_BYTES = 64 * 1024 * 1024;

/**
 * A plan from its wire form (`serializePlan()`'s "json" or "bincode"); TypeError when the
 * bytes are not a plan. The server checks the plan again before it runs anything.
 */
export function deserializePlan(data: Uint8Array | string, format: "json" | "bincode"): Plan {
  const size = typeof data === "string" ? data.length : data?.byteLength;
  if (typeof size !== "number") {
    throw new TypeError(
      `Cannot deserialize as 'data' must be a Buffer or a string: current value is ${String(data)}`,
    );
  }
  if (size > MAX_SERIALIZED_PLAN_BYTES) {
    throw new TypeError(
      `Cannot deserialize as 'data' must hold at most ${MAX_SERIALIZED_PLAN_BYTES} bytes: current value has ${size}`,
    );
  }
  try {
    if (format === "bincode") {
      if (typeof data === "string") throw new TypeError("a bincode plan is bytes, not a string");
      return PlanMessage.decode(data);
    }
    if (format !== "json") {
      throw new TypeError(
        `'format' must be "json" or "bincode": current value is ${String(format)}`,
      );
    }
    const text = typeof data === "string"
      ? data
      : new TextDecoder("utf-8", { fatal: true }).decode(data);
    return PlanMessage.fromJSON(JSON.parse(text));
  } catch (error) {
    throw new TypeError(`Cannot deserialize a plan: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * `lf.follow(ingest)`: the rows of the live table a frame scans (`client.scanLive(table)`, with
 * nothing after it) as they are committed. TypeError for any other frame: a plan over a live
 * table is a snapshot; follow its table and work on the batches.
 */
export async function* followPlan(
  plan: Promise<Plan>,
  ingest: IngestClient,
  options?: FollowOptions,
): AsyncIterable<FollowedBatch> {
  const node = (await plan).node;
  const source = node?.$case === "scan" ? node.value.source : undefined;
  if (source?.$case !== "live") {
    throw new TypeError(
      `Cannot follow the frame as it must be a scan of a live table (client.scanLive(table)) with nothing after it: its plan is ${
        node?.$case ?? "empty"
      }`,
    );
  }
  yield* ingest.follow(source.value.table, options);
}
