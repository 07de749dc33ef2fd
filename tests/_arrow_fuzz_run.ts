/**
 * Sends fuzz inputs through a compute worker's real Upload RPC and watches the worker: each
 * input must give OK (its handle is then released) or INVALID_ARGUMENT; after every round
 * the worker's process must still be the same and alive, Health must answer SERVING, and
 * its resident memory (VmRSS) is sampled. A failing input is written to a file to replay.
 *
 * @module
 */

import { HealthService } from "../shared/gen/grpc/health/v1/health.ts";
import {
  DataFrameServiceService,
  type UploadRequest,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { ServingStatus } from "../shared/grpc/health.ts";
import { PolaroidError } from "../shared/errors.ts";
import type { FuzzInput } from "./_arrow_fuzz_inputs.ts";

/** The worker under test. */
export interface FuzzTarget {
  /** host:port of its gRPC server. */
  readonly endpoint: string;
  /** Its pid now, undefined once it has exited. */
  pid(): number | undefined;
}

/** Options of runFuzz(). */
export interface FuzzRunOptions {
  /** Uploads in flight at once. @default 4 */
  concurrency?: number;
  /** Inputs per round, after which the worker is checked. @default 250 */
  roundSize?: number;
  /** Bytes per UploadRequest chunk. @default 65536 */
  chunkBytes?: number;
  /** Where failing inputs are written. @default a new temporary directory */
  failureDir?: string;
  /** Called after every round. */
  onRound?: (report: FuzzReport) => void;
}

/** One input that broke a rule. */
export interface FuzzFailure {
  readonly index: number;
  readonly kind: string;
  readonly outcome: string;
  /** The input, written for a replay. */
  readonly file: string;
}

/** What a run saw so far. */
export interface FuzzReport {
  inputs: number;
  /** Inputs per outcome: gRPC code names, "OK". */
  outcomes: Record<string, number>;
  failures: FuzzFailure[];
  /** VmRSS samples of the worker, bytes. */
  rss: { first: number; min: number; max: number; last: number };
  /** Whether the worker died (exited, changed pid, or stopped answering SERVING). */
  died: string | undefined;
  elapsedMs: number;
}

const CODE_NAMES: Record<number, string> = {
  0: "OK",
  1: "CANCELLED",
  2: "UNKNOWN",
  3: "INVALID_ARGUMENT",
  4: "DEADLINE_EXCEEDED",
  5: "NOT_FOUND",
  8: "RESOURCE_EXHAUSTED",
  9: "FAILED_PRECONDITION",
  13: "INTERNAL",
  14: "UNAVAILABLE",
};

/** The VmRSS of a process in bytes, undefined when it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** The input as UploadRequests of at most `size` bytes each (one, empty, for no bytes). */
function chunks(bytes: Uint8Array, size: number): UploadRequest[] {
  const out: UploadRequest[] = [];
  for (let at = 0; at === 0 || at < bytes.byteLength; at += size) {
    const piece = bytes.slice(at, at + size);
    out.push({ arrowIpc: Buffer.from(piece.buffer), ttlSeconds: 60n, name: "", bulkBytes: 0n });
  }
  return out;
}

/** Runs the inputs against the worker; stops early once it died. */
export async function runFuzz(
  target: FuzzTarget,
  inputs: Iterable<FuzzInput>,
  options: FuzzRunOptions = {},
): Promise<FuzzReport> {
  const concurrency = options.concurrency ?? 4;
  const roundSize = options.roundSize ?? 250;
  const chunkBytes = options.chunkBytes ?? 65536;
  const failureDir = options.failureDir ?? await Deno.makeTempDir({ prefix: "arrow-fuzz-" });
  const frames = new RpcClient(target.endpoint, DataFrameServiceService, { timeoutMs: 60_000 });
  const handles = new RpcClient(target.endpoint, HandleServiceService, { timeoutMs: 60_000 });
  const health = new RpcClient(target.endpoint, HealthService, { timeoutMs: 10_000 });
  const pid = target.pid();
  if (pid === undefined) throw new Error("Cannot fuzz the worker as it is not running");
  const rss = residentBytes(pid) ?? 0;
  const started = performance.now();
  const report: FuzzReport = {
    inputs: 0,
    outcomes: {},
    failures: [],
    rss: { first: rss, min: rss, max: rss, last: rss },
    died: undefined,
    elapsedMs: 0,
  };

  const one = async (input: FuzzInput, index: number): Promise<void> => {
    let outcome: string;
    try {
      const { handle } = await frames.clientStream("upload", chunks(input.bytes, chunkBytes));
      outcome = "OK";
      if (handle) await handles.unary("releaseHandle", { id: handle.id });
    } catch (error) {
      const code = error instanceof PolaroidError ? error.code : -1;
      outcome = CODE_NAMES[code] ?? `code ${code}: ${String(error)}`;
    }
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    const allowed = input.valid
      ? outcome === "OK"
      : outcome === "OK" || outcome === "INVALID_ARGUMENT";
    if (!allowed) {
      const file = `${failureDir}/input-${index}.arrow`;
      await Deno.writeFile(file, input.bytes);
      report.failures.push({ index, kind: input.kind, outcome, file });
    }
  };

  const check = async (): Promise<void> => {
    const now = target.pid();
    if (now !== pid) {
      report.died = now === undefined ? "the worker exited" : `the worker restarted (pid ${now})`;
      return;
    }
    const bytes = residentBytes(pid);
    if (bytes === undefined) {
      report.died = "the worker's process is gone";
      return;
    }
    Object.assign(report.rss, {
      min: Math.min(report.rss.min, bytes),
      max: Math.max(report.rss.max, bytes),
      last: bytes,
    });
    try {
      const { status } = await health.unary("check", { service: "" });
      if (status !== ServingStatus.SERVING) report.died = `Health answered ${status}`;
    } catch (error) {
      report.died = `Health failed: ${String(error)}`;
    }
  };

  try {
    const inFlight = new Set<Promise<void>>();
    let index = 0;
    for (const input of inputs) {
      const sent = one(input, index++).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (index % roundSize === 0) {
        await Promise.all(inFlight);
        report.inputs = index;
        await check();
        report.elapsedMs = performance.now() - started;
        options.onRound?.(report);
        if (report.died) return report;
      }
    }
    await Promise.all(inFlight);
    if (index % roundSize !== 0 || index === 0) {
      report.inputs = index;
      await check();
      report.elapsedMs = performance.now() - started;
      options.onRound?.(report);
    }
    return report;
  } finally {
    frames.close();
    handles.close();
    health.close();
  }
}
