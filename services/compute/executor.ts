/**
 * The compute worker's domain: a plan from a request to a result. PlanExecutor resolves the
 * handles and live tables a plan reads, analyses it (every limit that needs no data),
 * runs it on the engine the request or the memory budget asks for, and keeps the result
 * under a handle (keep.ts) or streams it. It takes a plain RunContext (tenant, abort signal, log fields),
 * no gRPC types: the DataFrameService handlers (dataframe_service.ts), the job runner
 * (jobs_runner.ts) and any other front door call the same methods.
 *
 * @module
 */

import type {
  CollectRequest,
  CollectResponse,
  ExecuteRequest,
  ExecuteResponse,
  ExplainRequest,
  ExplainResponse,
  SchemaRequest,
  SchemaResponse,
  UploadRequest,
  UploadResponse,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import {
  HandleLostError,
  InvalidArgumentError,
  InvalidPlanError,
  NotFoundError,
  QueryError,
} from "../../shared/errors.ts";
import {
  analyzePlan,
  chooseEngine,
  explainPlan,
  fromEngineError,
  heldSchema,
  type PlanAnalysis,
  planOutline,
  planSchema,
  runPlan,
  runPlanHeld,
} from "./engine/mod.ts";
import { addOwnedHandleTables } from "./engine/sql_owned.ts";
import { type EngineName, requestedEngine } from "./engine/engine_gate.ts";
import { Engine } from "../../shared/gen/polaroid/v1/dataframe.ts";
import { liveFrameKey } from "./engine/scan.ts";
import { type Held, heldHeight, heldMemoryBytes } from "./engine/frame_access.ts";
import {
  checkedSource,
  type CollectSource,
  type IpcBatch,
  sourceBatches,
} from "./collect_stream.ts";
import { Buffer } from "node:buffer";
import { encodeCollectResponse } from "./collect_wire.ts";
import { LiveTables } from "./live_tables.ts";
import { planKey } from "./plan_cache.ts";
import { discard, elapsed, keepResult } from "./keep.ts";
import { Uploads } from "./uploads.ts";
import { inSpan } from "../../shared/telemetry/tracing.ts";

export type {
  EngineRequest,
  ExecutorDeps,
  KeepOptions,
  PreparedPlan,
  RunContext,
} from "./executor_types.ts";
import type {
  EngineRequest,
  ExecutorDeps,
  KeepOptions,
  PreparedPlan,
  RunContext,
} from "./executor_types.ts";

/** Runs plans and keeps or streams their results (see the module doc). */
export class PlanExecutor {
  readonly #deps: ExecutorDeps;
  readonly #uploads: Uploads;
  readonly #live: LiveTables;

  constructor(deps: ExecutorDeps) {
    this.#deps = deps;
    this.#uploads = new Uploads({
      limits: deps.config.limits,
      keep: (df, ctx, options) => this.keep(df, ctx, options),
      ...(deps.bulk ? { bulk: deps.bulk } : {}),
    });
    this.#live = deps.liveTables ?? new LiveTables({ store: undefined, maxTableBytes: 0 });
  }

  /**
   * The files a tenant's plans may scan: the whole data root without authentication (one
   * user), `<data root>/<tenant>/` with it, so that no tenant reads another's files.
   */
  #dataRoot(tenant: string): string {
    const { config, dataRoot } = this.#deps;
    return config.auth.mode === "none" ? dataRoot : `${dataRoot}/${tenant}`;
  }

  /** Analyses the plan (every limit that needs no data) and resolves the frames it reads. */
  prepare(
    plan: Plan | undefined,
    ctx: RunContext,
    analyzed?: PlanAnalysis,
  ): Promise<PreparedPlan> {
    return inSpan("plan.prepare", { "polaroid.tenant": ctx.tenant }, async (span) => {
      const prepared = await this.#prepare(plan, ctx, analyzed);
      span.setAttribute("polaroid.inputs", prepared.analysis.handleIds.length);
      return prepared;
    });
  }

  async #prepare(
    plan: Plan | undefined,
    ctx: RunContext,
    analyzed?: PlanAnalysis,
  ): Promise<PreparedPlan> {
    if (!plan) throw new InvalidPlanError("Cannot run the request as it has no plan");
    const { limits } = this.#deps.config;
    let analysis = analyzed ?? analyzePlan(plan, limits);
    const owned = await addOwnedHandleTables(
      analysis.ownedSql,
      (r) => this.#deps.handles.unary("listHandles", r, { tenant: ctx.tenant }),
    );
    if (owned > 0) {
      ctx.log.ownedTables = owned;
      // The tables added are scans of more handles: the analysis sees them too.
      analysis = analyzePlan(plan, limits);
    }
    const ids = analysis.handleIds;
    const frames = await this.#deps.resolver.frames(ids, ctx.tenant, ctx.signal);
    // Each live table as it is now: the plan sees one snapshot of it, however often it scans it.
    for (const table of analysis.liveTables) {
      frames.set(liveFrameKey(table), await this.#live.snapshot(ctx.tenant, table));
    }
    ctx.log.inputs = ids.length;
    ctx.log.plan = planOutline(analysis);
    return { plan, engine: { frames, dataRoot: this.#dataRoot(ctx.tenant), limits }, analysis };
  }

  /** Runs a prepared plan on the engine the request or the memory budget asks for. */
  run(prepared: PreparedPlan, request: EngineRequest, ctx: RunContext): Promise<Held> {
    return inSpan("plan.run", { "polaroid.tenant": ctx.tenant }, async (span) => {
      const started = performance.now();
      const engine = () => ctx.log.engine === "in-memory" ? "in-memory" : "streaming";
      try {
        const df = await this.#run(prepared, request, ctx);
        span.setAttribute("polaroid.rows", heldHeight(df));
        span.setAttribute("polaroid.engine", engine());
        return df;
      } finally {
        // The same time as the call's engineMs (Execute), for Collect and jobs as well.
        this.#deps.metrics?.engineSeconds.observe(
          { engine: engine() },
          (performance.now() - started) / 1000,
        );
      }
    });
  }

  async #run(prepared: PreparedPlan, request: EngineRequest, ctx: RunContext): Promise<Held> {
    const { plan, engine, analysis } = prepared;
    const { config, metrics, gate } = this.#deps;
    const asked = requestedEngine(request.engine);
    if (request.streaming && asked === "in-memory") {
      throw new InvalidArgumentError(
        "Cannot run the plan as 'streaming' (bounded memory, on the streaming engine) and 'engine' ENGINE_IN_MEMORY exclude each other",
        { metadata: { field: "engine" } },
      );
    }
    // A call that ended while its inputs were resolved starts no engine work.
    ctx.signal.throwIfAborted();
    const choice = chooseEngine(analysis, engine, {
      requested: request.streaming,
      memoryLimit: asked === "in-memory" ? undefined : config.limits.memoryLimit,
    });
    if (choice.estimatedBytes !== undefined) ctx.log.estimatedInputBytes = choice.estimatedBytes;
    // Figures of the checks that read data (join key counts, window spans), refused or not.
    const notes: Record<string, number> = {};
    try {
      if (!choice.streaming) {
        const name: EngineName = asked ?? gate?.defaultEngine ?? "in-memory";
        const on = (name: EngineName) => {
          ctx.log.engine = name;
          return runPlan(plan, {
            ...engine,
            ...(gate
              ? {
                // A call that ended while it waited for its engine starts no collect.
                collect: (run) =>
                  gate.run(name, () => {
                    ctx.signal.throwIfAborted();
                    return run();
                  }),
                peek: (run) => gate.peek(run),
                otherEngine: name !== gate.defaultEngine,
              }
              : {}),
          }, { analysis, notes });
        };
        // A plan the streaming engine fails that nobody asked to stream runs again in memory
        // (docs/adr/0019): the default engine must not fail what nodejs-polars runs.
        if (name !== "streaming" || asked !== undefined || gate === undefined) {
          return await on(name);
        }
        try {
          return await on(name);
        } catch (error) {
          if (!(error instanceof QueryError) || ctx.signal.aborted) throw error;
          ctx.log.engineFallback = error.message.slice(0, 200);
          metrics?.engineFallbacks.inc();
          return await on("in-memory");
        }
      }
      ctx.log.engine = "streaming";
      ctx.log.spilled = true;
      ctx.log.streamingReason = choice.reason;
      metrics?.streamingRuns.inc({ reason: choice.reason });
      // The result stays in a spill file: it need not fit in memory (docs/adr/0007).
      return await runPlanHeld(plan, engine, { spillDir: config.spillDir, analysis, notes });
    } finally {
      Object.assign(ctx.log, notes);
    }
  }

  /**
   * Keeps a result: its bytes reserved in the worker's budget, written to the external store
   * (when there is one), registered with the catalog, then held here. A result not kept (an
   * error, or the caller gone) leaves nothing but, in the store, an object no handle names,
   * which the handles service's garbage collection removes after its grace period.
   */
  keep(df: Held, ctx: RunContext, options: KeepOptions = {}): Promise<HandleInfo> {
    return inSpan("result.keep", { "polaroid.tenant": ctx.tenant }, async (span) => {
      const info = await keepResult(this.#deps, df, ctx, options);
      span.setAttribute("polaroid.handle", info.id);
      span.setAttribute("polaroid.bytes", Number(info.bytes));
      return info;
    });
  }

  /**
   * The cache key of an Execute, or undefined when it is not cached (cache off, opted out,
   * a named result or one with metadata, a plan that reads files).
   */
  #cacheKey(
    request: ExecuteRequest,
    ctx: RunContext,
    analysis: PlanAnalysis | undefined,
  ): string | undefined {
    const { planCache } = this.#deps;
    if (!planCache.enabled) return undefined;
    const labelled = request.name !== "" || Object.keys(request.metadata).length > 0;
    if (!request.plan || request.skipCache || labelled || !analysis?.cacheable) {
      planCache.skip();
      return undefined;
    }
    return planKey(request.plan, ctx.tenant);
  }

  /** The live result of an equal earlier plan, retained for this caller. */
  async #reuse(key: string, ctx: RunContext): Promise<HandleInfo | undefined> {
    const { planCache, frames, handles } = this.#deps;
    const id = planCache.lookup(key);
    if (id === undefined) return undefined;
    if (frames.get(id) === undefined) {
      planCache.invalidate(key);
      return undefined;
    }
    try {
      const info = await handles.unary("retainHandle", { id }, { tenant: ctx.tenant });
      ctx.log.cached = true;
      ctx.log.handle = id;
      return info;
    } catch (error) {
      // Freed, or lost with an earlier lease of this worker: run the plan again.
      if (!(error instanceof NotFoundError || error instanceof HandleLostError)) throw error;
      planCache.invalidate(key);
      return undefined;
    }
  }

  /** Runs a plan into a handle (or answers with the live result of an equal earlier one). */
  async execute(request: ExecuteRequest, ctx: RunContext): Promise<ExecuteResponse> {
    const analysis = request.plan ? analyzePlan(request.plan, this.#deps.config.limits) : undefined;
    const key = this.#cacheKey(request, ctx, analysis);
    const reused = key === undefined ? undefined : await this.#reuse(key, ctx);
    if (reused) return { handle: reused, cached: true };
    const prepared = await this.prepare(request.plan, ctx, analysis);
    const started = performance.now();
    const df = await this.run(prepared, request, ctx);
    ctx.log.engineMs = elapsed(started);
    const registering = performance.now();
    const handle = await this.keep(df, ctx, {
      ttlSeconds: request.ttlSeconds,
      name: request.name,
      metadata: request.metadata,
      plan: prepared.plan,
      ...(key === undefined ? {} : { planHash: key }),
      durable: request.durable,
    });
    ctx.log.registerMs = elapsed(registering);
    if (key !== undefined) {
      this.#deps.planCache.store(key, prepared.analysis.handleIds, handle.id);
    }
    return { handle, cached: false };
  }

  /** The frame a Collect reads, and the bytes it alone holds (0 for a handle's frame). */
  async #source(
    request: CollectRequest,
    ctx: RunContext,
  ): Promise<{ df: Held; owned: number }> {
    const s = request.source;
    if (!s) throw new InvalidArgumentError("Cannot run the request as it names no plan or handle");
    if (s.$case === "bulkTicket") {
      throw new InvalidArgumentError(
        "Cannot read a bulk ticket here as 'bulk_ticket' applies to Collect only",
        { metadata: { field: "bulk_ticket" } },
      );
    }
    if (s.$case === "handle") {
      if (request.engine !== Engine.ENGINE_UNSPECIFIED) {
        throw new InvalidArgumentError(
          `Cannot collect a stored frame with 'engine' ${request.engine} as 'engine' applies to plans only (a stored frame runs no engine)`,
          { metadata: { field: "engine" } },
        );
      }
      ctx.log.handle = s.value;
      return { df: await this.#deps.resolver.frame(s.value, ctx.tenant, ctx.signal), owned: 0 };
    }
    if (request.startBatch !== 0n) {
      throw new InvalidArgumentError(
        `Cannot collect a plan from a start batch as 'start_batch' applies to handles only (a plan's batches may differ between runs): current value is ${request.startBatch}`,
      );
    }
    const df = await this.run(await this.prepare(s.value, ctx), request, ctx);
    return { df, owned: heldMemoryBytes(df) };
  }

  /**
   * Streams a handle's frame or a plan's result as Arrow IPC record batches; a plan's result
   * belongs to the stream alone and is let go of on every path. A request that asks for bulk
   * and whose result is large enough is answered with one message: a ticket to read the
   * batches from the worker's bulk port (bulk/offers.ts), the frame held until then.
   */
  async *collect(request: CollectRequest, ctx: RunContext): AsyncGenerator<CollectResponse> {
    if (request.source?.$case === "bulkTicket") {
      yield* this.#ticketBatches(request, request.source.value, ctx);
      return;
    }
    const source = await this.#collectSource(request, ctx);
    const offer = request.bulk ? this.#deps.bulk?.offerCollect(source, request, ctx) : undefined;
    if (offer) {
      yield { arrowIpc: Buffer.alloc(0), rows: 0n, batchIndex: 0n, bulk: offer };
      return;
    }
    const batches = this.#sourceBatches(source, request.startBatch, ctx, true);
    for await (const batch of batches) {
      yield encodeCollectResponse(batch.ipc, BigInt(batch.rows), BigInt(batch.index));
    }
  }

  /** The batches a bulk ticket holds, over gRPC (CollectRequest.bulk_ticket). */
  async *#ticketBatches(
    request: CollectRequest,
    ticket: string,
    ctx: RunContext,
  ): AsyncGenerator<CollectResponse> {
    const options: [string, boolean][] = [
      ["start_batch", request.startBatch !== 0n],
      ["streaming", request.streaming],
      ["engine", request.engine !== Engine.ENGINE_UNSPECIFIED],
      ["bulk", request.bulk],
    ];
    const set = options.find(([, given]) => given)?.[0];
    if (set !== undefined) {
      throw new InvalidArgumentError(
        `Cannot collect a bulk ticket with '${set}' set as the ticket's options apply`,
        { metadata: { field: set } },
      );
    }
    const redeemed = this.#deps.bulk?.redeemCollect(ticket, ctx);
    if (!redeemed) {
      throw new NotFoundError("Cannot use the ticket as it is unknown, expired or already used");
    }
    const batches = this.#sourceBatches(redeemed.source, redeemed.startBatch, ctx, true);
    for await (const batch of batches) {
      yield encodeCollectResponse(batch.ipc, BigInt(batch.rows), BigInt(batch.index));
    }
  }

  /**
   * The batches of a Collect, each its own Arrow IPC stream. Without a `batch_size` in the
   * request, a batch has `targetBatchBytes` of data (an estimate, from the frame's size and
   * height) when that is given, else the worker's default rows.
   */
  async *collectBatches(
    request: CollectRequest,
    ctx: RunContext,
    options: { targetBatchBytes?: number } = {},
  ): AsyncGenerator<IpcBatch> {
    const source = await this.#collectSource(request, ctx, options);
    yield* this.#sourceBatches(source, request.startBatch, ctx, false);
  }

  /** The frame of a Collect, checked against the limits, and its batch size. */
  async #collectSource(
    request: CollectRequest,
    ctx: RunContext,
    options: { targetBatchBytes?: number } = {},
  ): Promise<CollectSource> {
    const { limits } = this.#deps.config;
    if (request.batchSize > limits.maxBatchSize) {
      throw new InvalidArgumentError(
        `Cannot collect as 'batch_size' must be at most ${limits.maxBatchSize}: current value is ${request.batchSize}`,
      );
    }
    const { df, owned } = await this.#source(request, ctx);
    const ownsFrame = request.source?.$case === "plan";
    return checkedSource(df, {
      owned,
      batchSize: request.batchSize,
      limits,
      ...(options.targetBatchBytes ? { targetBatchBytes: options.targetBatchBytes } : {}),
      release: () => {
        if (owned > 0) this.#deps.frames.letGo(owned);
        if (ownsFrame) void discard(df);
      },
    });
  }

  /** The batches of a Collect's frame from `startBatch` on; the frame is let go of at the end. */
  #sourceBatches(
    source: CollectSource,
    startBatch: bigint,
    ctx: RunContext,
    narrowStrings: boolean,
  ): AsyncGenerator<IpcBatch> {
    return sourceBatches(source, {
      startBatch,
      narrowStrings,
      log: ctx.log,
      signal: ctx.signal,
      ...(this.#deps.metrics ? { metrics: this.#deps.metrics } : {}),
    });
  }

  /**
   * Reads an Arrow IPC upload (within the upload limits) and keeps it under a handle, or
   * answers a request for the bulk port (uploads.ts).
   */
  upload(requests: AsyncIterable<UploadRequest>, ctx: RunContext): Promise<UploadResponse> {
    return this.#uploads.upload(requests, ctx);
  }

  /** The schema of a handle (and its rows) or of a plan's result (without running it). */
  async schema(request: SchemaRequest, ctx: RunContext): Promise<SchemaResponse> {
    const s = request.source;
    if (s?.$case === "handle") {
      const df = await this.#deps.resolver.frame(s.value, ctx.tenant, ctx.signal);
      return { schema: heldSchema(df), rows: BigInt(heldHeight(df)) };
    }
    const { plan, engine, analysis } = await this.prepare(s?.value, ctx);
    return { schema: await planSchema(plan, engine, { analysis }), rows: undefined };
  }

  /** The engine's plans for a plan, before and after optimisation. */
  async explain(request: ExplainRequest, ctx: RunContext): Promise<ExplainResponse> {
    const { plan, engine, analysis } = await this.prepare(request.plan, ctx);
    try {
      return await explainPlan(plan, engine, { analysis });
    } catch (error) {
      throw fromEngineError(error);
    }
  }
}
