/**
 * Keeping a result under a handle: its bytes reserved in the worker's budget, written to the
 * external store (when there is one) before the handle is registered or, writing behind
 * (write_behind.ts, docs/adr/0017), after it; registered with the catalog, then held here. A
 * result not kept (an error, or the caller gone) leaves nothing but, in the store, an object
 * no handle names, which the handles service's garbage collection removes after its grace
 * period.
 *
 * @module
 */

import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { heldSchema } from "./engine/mod.ts";
import {
  type Held,
  heldDataBytes,
  heldHeight,
  heldMemoryBytes,
  SpilledFrame,
} from "./engine/frame_access.ts";
import type { FrameLease } from "./held_frames.ts";
import { persist } from "./objects.ts";
import { planKey } from "./plan_cache.ts";
import { registerResult } from "./register.ts";
import { unaryRegistrar } from "./register_stream.ts";
import type { ExecutorDeps, KeepOptions, RunContext } from "./executor_types.ts";

/** Removes the spill file of a result nothing will read (a no-op for frames in memory). */
export async function discard(df: Held): Promise<void> {
  if (df instanceof SpilledFrame) await Deno.remove(df.path).catch(() => {});
}

/** Milliseconds since `since`, to the microsecond, for log lines. */
export function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}

/** Keeps `df` under a new handle for the caller (see the module doc). */
export async function keepResult(
  deps: ExecutorDeps,
  df: Held,
  ctx: RunContext,
  options: KeepOptions = {},
): Promise<HandleInfo> {
  const { frames, store, config, handles, writeBehind } = deps;
  const metadata = options.metadata ?? {};
  let lease: FrameLease | undefined;
  try {
    // Nobody waits for the result of a call that ended (cancelled, past its deadline):
    // it is not kept, so no handle outlives its caller's interest.
    ctx.signal.throwIfAborted();
    lease = frames.reserve(heldMemoryBytes(df));
    let objectKey = "";
    const persistOptions = {
      tenant: ctx.tenant,
      stagingDir: config.spillDir,
      // The plan cache's key when the caller has it: the same hash, computed once.
      planHash: options.planHash ??
        (store && options.plan ? planKey(options.plan, ctx.tenant) : ""),
      labels: metadata,
      contentAddressed: config.contentAddressed,
    };
    // Behind: a result only its maker knows of yet; a named one is there to be shared.
    const behind = store !== undefined && writeBehind?.open === true && !options.durable &&
      !options.name;
    if (store && !behind) {
      // Durable before the handle exists: a crash here leaves an orphan, not a handle.
      const persisting = performance.now();
      objectKey = await persist(df, { ...persistOptions, store });
      ctx.log.persistMs = elapsed(persisting);
      ctx.signal.throwIfAborted();
    }
    const info = await registerResult(deps.registrar ?? unaryRegistrar(handles), {
      schema: heldSchema(df),
      rows: BigInt(heldHeight(df)),
      bytes: BigInt(heldDataBytes(df)),
      ttlSeconds: options.ttlSeconds ?? 0n,
      worker: config.workerId,
      workerIncarnation: deps.incarnation,
      name: options.name ?? "",
      metadata,
      objectKey,
      objectPending: behind,
    }, { tenant: ctx.tenant });
    if (ctx.signal.aborted) {
      // The call ended while its handle was registered: nobody holds it, it goes now
      // rather than at its TTL.
      await handles.unary("deleteHandle", { id: info.id }, { tenant: ctx.tenant })
        .catch(() => {});
      ctx.signal.throwIfAborted();
    }
    lease.add(info.id, df, ctx.tenant);
    if (behind) {
      // The only copy until the write ends: not evicted meanwhile.
      frames.pin(info.id);
      writeBehind!.start(info.id, df, persistOptions);
      ctx.log.writeBehind = true;
    }
    ctx.log.handle = info.id;
    ctx.log.rows = heldHeight(df);
    if (df instanceof SpilledFrame) ctx.log.spilledBytes = df.fileBytes;
    return info;
  } catch (error) {
    lease?.release();
    await discard(df);
    throw error;
  }
}
