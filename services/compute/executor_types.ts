/**
 * The types of the PlanExecutor's API (executor.ts): what a run reads of its caller, what
 * the executor depends on, and the options of its steps.
 *
 * @module
 */

import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import type { Engine } from "../../shared/gen/polaroid/v1/dataframe.ts";
import type { ComputeConfig } from "../../shared/config.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import type { EngineContext, PlanAnalysis } from "./engine/mod.ts";
import type { EngineGate } from "./engine/engine_gate.ts";
import type { HeldFrames } from "./held_frames.ts";
import type { LiveTables } from "./live_tables.ts";
import type { StreamMetrics } from "./metrics.ts";
import type { PlanCache } from "./plan_cache.ts";
import type { HandleResolver, HandlesClient } from "./resolver.ts";
import type { Registrar } from "./register_stream.ts";
import type { BulkOffers } from "./bulk/offers.ts";
import type { WriteBehind } from "./write_behind.ts";

/** What a run reads of its caller. */
export interface RunContext {
  /** The tenant the run acts for (authenticated and authorized by the caller). */
  readonly tenant: string;
  /** Aborted when nobody waits for the result any more (cancelled, deadline, disconnect). */
  readonly signal: AbortSignal;
  /** Fields for the caller's log line: the run records its figures here. */
  readonly log: Record<string, unknown>;
}

/** What a request asks of the engine. */
export interface EngineRequest {
  /** Bounded memory: the result spilled to a file, on the streaming engine (docs/adr/0007). */
  streaming: boolean;
  /** The Polars engine; unspecified, the worker's default. @default ENGINE_UNSPECIFIED */
  engine?: Engine;
}

/** What the executor needs. */
export interface ExecutorDeps {
  config: ComputeConfig;
  /** Absolute real path of the data root. */
  dataRoot: string;
  frames: HeldFrames;
  resolver: HandleResolver;
  handles: HandlesClient;
  planCache: PlanCache;
  /** This process's incarnation (its lease with the handles service), sent with each result. */
  incarnation: string;
  /**
   * Runs plans' collects on the worker's default engine or the one a request asks for
   * (engine_gate.ts). @default none: collects run on whatever the process's engine is
   */
  gate?: EngineGate;
  /** Collect and streaming-engine metrics; none in tests that do not look. */
  metrics?: StreamMetrics;
  /**
   * The external handle store (POLAROID_HANDLE_STORE=external): every result is written
   * there, before its handle is registered or, with `writeBehind`, after.
   */
  store?: StateStore;
  /** Writes results to the store after their reply (POLAROID_STORE_WRITE=behind). */
  writeBehind?: WriteBehind;
  /** Where scans of live tables read. @default none: such scans are refused */
  liveTables?: LiveTables;
  /** Tickets to the bulk port for large results and uploads. @default none: all on gRPC */
  bulk?: BulkOffers;
  /** How results are registered. @default a RegisterHandle call each (through `handles`) */
  registrar?: Registrar;
}

/** A plan analysed, with the frames and files it reads. */
export interface PreparedPlan {
  plan: Plan;
  engine: EngineContext;
  analysis: PlanAnalysis;
}

/** How a result is kept. */
export interface KeepOptions {
  /** 0: the catalog's default. */
  ttlSeconds?: bigint;
  name?: string;
  metadata?: Record<string, string>;
  /** The plan that made it (content-addressed results are keyed by it). */
  plan?: Plan;
  /** The plan's hash when the caller computed it (the plan cache's key). @default from `plan` */
  planHash?: string;
  /** Written to the external store before the handle exists, even when writing behind. */
  durable?: boolean;
}
