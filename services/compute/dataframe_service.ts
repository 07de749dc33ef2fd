/**
 * DataFrameService handlers: decode, call the engine, encode. Plans run as one LazyFrame;
 * results stay in this worker under a handle registered with the catalog.
 *
 * @module
 */

import type {
  CollectRequest,
  ExecuteRequest,
  ExecuteResponse,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import type { ComputeConfig } from "../../shared/config.ts";
import {
  HandleLostError,
  InvalidArgumentError,
  InvalidPlanError,
  LimitExceededError,
  NotFoundError,
} from "../../shared/errors.ts";
import { bind, type CallContext, type ServiceBinding } from "../../shared/grpc/types.ts";
import {
  analyzePlan,
  chooseEngine,
  type EngineContext,
  explainPlan,
  frameFromIpc,
  fromEngineError,
  heldSchema,
  type PlanAnalysis,
  planSchema,
  runPlan,
  runPlanHeld,
  uploadIpcLimits,
} from "./engine/mod.ts";
import { addOwnedHandleTables } from "./engine/sql_owned.ts";
import { collectStream } from "./collect_stream.ts";
import { DATAFRAME_SERVICE } from "./collect_wire.ts";
import type { FrameStore } from "./frames.ts";
import { LiveTables } from "./live_tables.ts";
import { liveFrameKey } from "./engine/scan.ts";
import { type PlanCache, planKey } from "./plan_cache.ts";
import type { HandleResolver, HandlesClient } from "./resolver.ts";
import type { StreamMetrics } from "./stream_metrics.ts";
import { persist } from "./objects.ts";
import { UploadBudget } from "./upload_budget.ts";
import { isContentKey, type StateStore } from "../../shared/state_store/store.ts";
import {
  type Held,
  heldDataBytes,
  heldHeight,
  heldMemoryBytes,
  SpilledFrame,
} from "./engine/frame_access.ts";
import { registerResult } from "./register.ts";
import { sinkHandler } from "./sink/service.ts";
import type { OutputTargets } from "./sink/location.ts";

/** Removes the spill file of a result nothing will read (a no-op for frames in memory). */
async function discard(df: Held): Promise<void> {
  if (df instanceof SpilledFrame) await Deno.remove(df.path).catch(() => {});
}

/** What the handlers need. */
export interface DataFrameServiceDeps {
  config: ComputeConfig;
  /** Absolute real path of the data root. */
  dataRoot: string;
  frames: FrameStore;
  resolver: HandleResolver;
  handles: HandlesClient;
  planCache: PlanCache;
  /** This process's incarnation (its lease with the handles service), sent with each result. */
  incarnation: string;
  /** Collect and streaming-engine metrics; none in tests that do not look. */
  metrics?: StreamMetrics;
  /**
   * The external handle store (POLAROID_HANDLE_STORE=external): every result is written
   * there before its handle is registered.
   */
  store?: StateStore;
  /** Where Sink writes (POLAROID_OUTPUT_ROOT, POLAROID_OUTPUT_S3_BUCKET); none refuses it. */
  outputs?: OutputTargets;
  /** Where scans of live tables read. @default none: such scans are refused */
  liveTables?: LiveTables;
}

/**
 * The files a tenant's plans may scan: the whole data root without authentication (one user),
 * `<data root>/<tenant>/` with it, so that no tenant reads another's files.
 */
function dataRootOf(deps: DataFrameServiceDeps, tenant: string): string {
  return deps.config.auth.mode === "none" ? deps.dataRoot : `${deps.dataRoot}/${tenant}`;
}

/** The steps of the handlers, shared by Execute and the job runner. */
function operations(deps: DataFrameServiceDeps) {
  const { limits } = deps.config;

  /** Analyses the plan (every limit that needs no data) and resolves the frames it reads. */
  const prepare = async (
    plan: Plan | undefined,
    ctx: CallContext,
    analyzed?: PlanAnalysis,
  ) => {
    if (!plan) throw new InvalidPlanError("Cannot run the request as it has no plan");
    let analysis = analyzed ?? analyzePlan(plan, limits);
    const owned = await addOwnedHandleTables(
      analysis.ownedSql,
      (r) => deps.handles.unary("listHandles", r, { tenant: ctx.tenant }),
    );
    if (owned > 0) {
      ctx.log.ownedTables = owned;
      // The tables added are scans of more handles: the analysis sees them too.
      analysis = analyzePlan(plan, limits);
    }
    const ids = analysis.handleIds;
    const frames = await deps.resolver.frames(ids, ctx.tenant);
    // Each live table as it is now: the plan sees one snapshot of it, however often it scans it.
    const live = deps.liveTables ?? new LiveTables({ store: undefined, maxTableBytes: 0 });
    for (const table of analysis.liveTables) {
      frames.set(liveFrameKey(table), await live.snapshot(ctx.tenant, table));
    }
    const engine: EngineContext = {
      frames,
      dataRoot: dataRootOf(deps, ctx.tenant),
      limits,
    };
    ctx.log.inputs = ids.length;
    return { plan, engine, analysis };
  };

  /** Runs a plan on the engine the request or the memory budget asks for. */
  const run = async (
    { plan, engine, analysis }: { plan: Plan; engine: EngineContext; analysis: PlanAnalysis },
    streaming: boolean,
    ctx: CallContext,
  ): Promise<Held> => {
    // A call that ended while its inputs were resolved starts no engine work.
    ctx.signal.throwIfAborted();
    const choice = chooseEngine(analysis, engine, {
      requested: streaming,
      memoryLimit: limits.memoryLimit,
    });
    if (choice.estimatedBytes !== undefined) ctx.log.estimatedInputBytes = choice.estimatedBytes;
    // Figures of the checks that read data (join key counts, window spans), refused or not.
    const notes: Record<string, number> = {};
    try {
      if (!choice.streaming) return await runPlan(plan, engine, { analysis, notes });
      ctx.log.engine = "streaming";
      ctx.log.streamingReason = choice.reason;
      deps.metrics?.streamingRuns.inc({ reason: choice.reason });
      // The result stays in a spill file: it need not fit in memory (docs/adr/0007).
      return await runPlanHeld(plan, engine, {
        spillDir: deps.config.spillDir,
        analysis,
        notes,
      });
    } finally {
      Object.assign(ctx.log, notes);
    }
  };

  /** Registers a result with the catalog and keeps it here. */
  const keep = async (
    df: Held,
    ttlSeconds: bigint,
    ctx: CallContext,
    name = "",
    metadata: Record<string, string> = {},
    plan?: Plan,
  ): Promise<HandleInfo> => {
    const bytes = heldMemoryBytes(df);
    let info: HandleInfo;
    let objectKey = "";
    try {
      // Nobody waits for the result of a call that ended (cancelled, past its deadline):
      // it is not kept, so no handle outlives its caller's interest.
      ctx.signal.throwIfAborted();
      deps.frames.reserve(bytes);
      if (deps.store) {
        // Durable before the handle exists: a crash here leaves an orphan, not a handle.
        const persisting = performance.now();
        objectKey = await persist(df, {
          store: deps.store,
          tenant: ctx.tenant,
          stagingDir: deps.config.spillDir,
          planHash: plan ? planKey(plan, ctx.tenant) : "",
          labels: metadata,
          contentAddressed: deps.config.contentAddressed,
        });
        ctx.log.persistMs = elapsed(persisting);
        ctx.signal.throwIfAborted();
      }
      info = await registerResult(deps.handles, {
        schema: heldSchema(df),
        rows: BigInt(heldHeight(df)),
        bytes: BigInt(heldDataBytes(df)),
        ttlSeconds,
        worker: deps.config.workerId,
        workerIncarnation: deps.incarnation,
        name,
        metadata,
        objectKey,
      }, { tenant: ctx.tenant });
      if (ctx.signal.aborted) {
        // The call ended while its handle was registered: nobody holds it, it goes now
        // rather than at its TTL.
        await deps.handles.unary("deleteHandle", { id: info.id }, { tenant: ctx.tenant })
          .catch(() => {});
        ctx.signal.throwIfAborted();
      }
    } catch (error) {
      await discard(df);
      // A content-addressed object may be another handle's too: garbage collection decides.
      if (objectKey !== "" && !isContentKey(objectKey)) {
        await deps.store?.delete(objectKey).catch(() => {});
      }
      throw error;
    }
    deps.frames.add(info.id, df, ctx.tenant, bytes);
    ctx.log.handle = info.id;
    ctx.log.rows = heldHeight(df);
    if (df instanceof SpilledFrame) ctx.log.spilledBytes = df.fileBytes;
    return info;
  };

  /**
   * The cache key of an Execute, or undefined when it is not cached (cache off, opted out,
   * a named result or one with metadata, a plan that reads files).
   */
  const cacheKey = (
    request: ExecuteRequest,
    ctx: CallContext,
    analysis: PlanAnalysis | undefined,
  ): string | undefined => {
    const { planCache } = deps;
    if (!planCache.enabled) return undefined;
    const labelled = request.name !== "" || Object.keys(request.metadata).length > 0;
    if (!request.plan || request.skipCache || labelled || !analysis?.cacheable) {
      planCache.skip();
      return undefined;
    }
    return planKey(request.plan, ctx.tenant);
  };

  /** The live result of an equal earlier plan, retained for this caller. */
  const reuse = async (key: string, ctx: CallContext): Promise<HandleInfo | undefined> => {
    const id = deps.planCache.lookup(key);
    if (id === undefined) return undefined;
    if (deps.frames.get(id) === undefined) {
      deps.planCache.invalidate(key);
      return undefined;
    }
    try {
      const info = await deps.handles.unary("retainHandle", { id }, { tenant: ctx.tenant });
      ctx.log.cached = true;
      ctx.log.handle = id;
      return info;
    } catch (error) {
      // Freed, or lost with an earlier lease of this worker: run the plan again.
      if (!(error instanceof NotFoundError || error instanceof HandleLostError)) throw error;
      deps.planCache.invalidate(key);
      return undefined;
    }
  };

  const execute: PlanExecutor = async (request, ctx) => {
    const analysis = request.plan ? analyzePlan(request.plan, limits) : undefined;
    const key = cacheKey(request, ctx, analysis);
    const reused = key === undefined ? undefined : await reuse(key, ctx);
    if (reused) return { handle: reused, cached: true };
    const prepared = await prepare(request.plan, ctx, analysis);
    const { plan } = prepared;
    const started = performance.now();
    const df = await run(prepared, request.streaming, ctx);
    ctx.log.engineMs = elapsed(started);
    const registering = performance.now();
    const handle = await keep(
      df,
      request.ttlSeconds,
      ctx,
      request.name,
      request.metadata,
      plan,
    );
    ctx.log.registerMs = elapsed(registering);
    if (key !== undefined) deps.planCache.store(key, prepared.analysis.handleIds, handle.id);
    return { handle, cached: false };
  };

  return { prepare, run, keep, execute };
}

/** Runs an ExecuteRequest for the caller in `ctx`: what Execute and the job runner share. */
export type PlanExecutor = (request: ExecuteRequest, ctx: CallContext) => Promise<ExecuteResponse>;

/** The Execute code path, for callers other than the gRPC handler (the job runner). */
export function planExecutor(deps: DataFrameServiceDeps): PlanExecutor {
  return operations(deps).execute;
}

export function dataFrameService(deps: DataFrameServiceDeps): ServiceBinding {
  const { limits } = deps.config;
  const uploads = new UploadBudget(limits.maxUploadBufferBytes);
  const { prepare, run, keep, execute } = operations(deps);

  /** The frame a Collect reads, and the bytes it alone holds (0 for a handle's frame). */
  const source = async (
    request: CollectRequest,
    ctx: CallContext,
  ): Promise<{ df: Held; owned: number }> => {
    const s = request.source;
    if (!s) throw new InvalidArgumentError("Cannot run the request as it names no plan or handle");
    if (s.$case === "handle") {
      ctx.log.handle = s.value;
      return { df: await deps.resolver.frame(s.value, ctx.tenant), owned: 0 };
    }
    if (request.startBatch !== 0n) {
      throw new InvalidArgumentError(
        `Cannot collect a plan from a start batch as 'start_batch' applies to handles only (a plan's batches may differ between runs): current value is ${request.startBatch}`,
      );
    }
    const df = await run(await prepare(s.value, ctx), request.streaming, ctx);
    return { df, owned: heldMemoryBytes(df) };
  };

  return bind(DATAFRAME_SERVICE, {
    execute,

    async *collect(request, ctx) {
      const batchSize = request.batchSize || limits.defaultBatchSize;
      if (batchSize > limits.maxBatchSize) {
        throw new InvalidArgumentError(
          `Cannot collect as 'batch_size' must be at most ${limits.maxBatchSize}: current value is ${batchSize}`,
        );
      }
      const { df, owned } = await source(request, ctx);
      const bytes = owned || heldDataBytes(df);
      if (bytes > limits.maxCollectBytes) {
        if (owned > 0) deps.frames.released(owned);
        if (request.source?.$case === "plan") await discard(df);
        throw new LimitExceededError(
          `Cannot stream a result of about ${bytes} bytes as one Collect may send at most ${limits.maxCollectBytes} (POLAROID_MAX_COLLECT_BYTES): execute it into a handle and collect slices of it`,
        );
      }
      try {
        yield* collectStream(df, {
          batchSize,
          startBatch: request.startBatch,
          log: ctx.log,
          ownedBytes: owned,
          onRelease: (released) => deps.frames.released(released),
          metrics: deps.metrics,
          signal: ctx.signal,
        });
      } finally {
        // A plan's spilled result belongs to this stream alone.
        if (request.source?.$case === "plan") await discard(df);
      }
    },

    async upload(requests, ctx) {
      const chunks: Uint8Array[] = [];
      let total = 0;
      let ttlSeconds: bigint | undefined;
      let name: string | undefined;
      // The received chunks, then their concatenation: both count until the frame is made.
      const lease = uploads.lease();
      try {
        for await (const request of requests) {
          ttlSeconds ??= request.ttlSeconds;
          name ??= request.name;
          total += request.arrowIpc.byteLength;
          if (total > limits.maxUploadBytes) {
            throw new LimitExceededError(
              `Cannot accept an upload of more than ${limits.maxUploadBytes} bytes (POLAROID_MAX_UPLOAD_BYTES)`,
            );
          }
          lease.take(request.arrowIpc.byteLength);
          chunks.push(request.arrowIpc);
        }
        if (total === 0) {
          throw new InvalidArgumentError(
            "Cannot store an upload as it is empty: send an Arrow IPC stream",
          );
        }
        if (chunks.length > 1) lease.take(total);
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
        chunks.length = 0;
        ctx.log.bytes = total;
        const df = frameFromIpc(bytes, uploadIpcLimits(limits));
        lease.release();
        return { handle: await keep(df, ttlSeconds ?? 0n, ctx, name) };
      } finally {
        lease.release();
      }
    },

    async schema(request, ctx) {
      const s = request.source;
      if (s?.$case === "handle") {
        const df = await deps.resolver.frame(s.value, ctx.tenant);
        return { schema: heldSchema(df), rows: BigInt(heldHeight(df)) };
      }
      const { plan, engine, analysis } = await prepare(s?.value, ctx);
      return { schema: await planSchema(plan, engine, { analysis }), rows: undefined };
    },

    async explain(request, ctx) {
      const { plan, engine, analysis } = await prepare(request.plan, ctx);
      try {
        return await explainPlan(plan, engine, { analysis });
      } catch (error) {
        throw fromEngineError(error);
      }
    },

    sink: sinkHandler({
      config: deps.config,
      outputs: deps.outputs ?? { engines: { running: 0 } },
      prepare,
    }),
  });
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}
