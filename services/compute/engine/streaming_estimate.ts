/**
 * How much data a plan reads, estimated without reading it: the on-disk sizes of the files
 * its scans name (file metadata only; Parquet's compression makes this a lower bound of the
 * decoded size) plus the estimated bytes of the frames of the handles it reads. The server
 * compares it with POLAROID_MEMORY_LIMIT to choose the streaming engine.
 *
 * @module
 */

import { join, relative, sep as SEPARATOR } from "node:path";
import { FileFormat, type FileScan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { isGlob, MAX_SCAN_ENTRIES, resolveScanPath } from "./paths.ts";
import { type Held, heldDataBytes } from "./frame_access.ts";

/** What the estimate reads of a plan's analysis (analyze.ts): the inputs it names. */
export interface PlanInputs {
  readonly files: readonly FileScan[];
  readonly handleIds: readonly string[];
}

/** What the estimate looks at. */
export interface EstimateSources {
  /** Frames of the handles the plan references. */
  frames: ReadonlyMap<string, Held>;
  /** Absolute, real path of the data root. */
  dataRoot: string;
}

/** A glob pattern (Polars' syntax: `*`, `?`, `[...]`, `**`) as a regular expression. */
export function globPattern(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      out += pattern[i + 2] === "/" ? "(?:[^/]*/)*" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) out += "\\[";
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Sizes of the regular files under `dir` whose path relative to `dir` matches `match`. */
function treeBytes(dir: string, match: (rel: string) => boolean): number {
  let total = 0;
  let entries = 0;
  const pending = [dir];
  const seen = new Set<string>([Deno.realPathSync(dir)]);
  while (pending.length > 0 && entries <= MAX_SCAN_ENTRIES) {
    const current = pending.pop()!;
    for (const entry of Deno.readDirSync(current)) {
      if (++entries > MAX_SCAN_ENTRIES) break;
      const path = join(current, entry.name);
      const info = Deno.statSync(path);
      if (info.isDirectory) {
        const real = Deno.realPathSync(path);
        if (!seen.has(real)) {
          seen.add(real);
          pending.push(path);
        }
      } else if (info.isFile && match(relative(dir, path).split(SEPARATOR).join("/"))) {
        total += info.size;
      }
    }
  }
  return total;
}

/** On-disk bytes of the files one scan reads (the path is checked as the scan checks it). */
export function scanBytes(file: FileScan, dataRoot: string): number {
  const glob = file.format === FileFormat.FILE_FORMAT_PARQUET ||
    file.format === FileFormat.FILE_FORMAT_IPC;
  const resolved = resolveScanPath(dataRoot, file.path, { glob });
  if (!isGlob(file.path)) {
    const info = Deno.statSync(resolved);
    return info.isDirectory ? treeBytes(resolved, () => true) : info.size;
  }
  // resolveScanPath returned <real prefix>/<pattern segments>: match below the prefix.
  const segments = file.path.split(/[/\\]/);
  const at = segments.findIndex(isGlob);
  const patternText = segments.slice(at).join("/");
  const prefix = resolved.slice(0, resolved.length - patternText.length).replace(/\/$/, "");
  const pattern = globPattern(patternText);
  return treeBytes(prefix, (rel) => pattern.test(rel));
}

/**
 * Estimated input bytes of a plan (from its analysis): scanned files' sizes plus the
 * handles' frames.
 */
export function estimateInputBytes(
  analysis: PlanInputs,
  sources: EstimateSources,
): number {
  let total = 0;
  for (const file of analysis.files) total += scanBytes(file, sources.dataRoot);
  for (const id of analysis.handleIds) {
    const df = sources.frames.get(id);
    if (df) total += heldDataBytes(df);
  }
  return total;
}

/** Which engine runs a plan, and why. */
export type EngineChoice =
  | { streaming: false; estimatedBytes?: number }
  | { streaming: true; reason: "requested"; estimatedBytes?: undefined }
  | { streaming: true; reason: "memory_limit"; estimatedBytes: number };

/**
 * The streaming engine when the request asks for it, or when `memoryLimit` is set and the
 * plan's estimated input is larger; the in-memory engine otherwise.
 */
export function chooseEngine(
  analysis: PlanInputs,
  sources: EstimateSources,
  options: { requested: boolean; memoryLimit: number | undefined },
): EngineChoice {
  if (options.requested) return { streaming: true, reason: "requested" };
  if (options.memoryLimit === undefined) return { streaming: false };
  let estimatedBytes: number;
  try {
    estimatedBytes = estimateInputBytes(analysis, sources);
  } catch {
    // A scan that cannot be sized fails when it runs, with the engine's own error.
    return { streaming: false };
  }
  return estimatedBytes > options.memoryLimit
    ? { streaming: true, reason: "memory_limit", estimatedBytes }
    : { streaming: false, estimatedBytes };
}
