/**
 * File paths of scans: relative to the data root, and never leading out of it (no absolute
 * paths, no "..", no symbolic link that resolves outside the root, also under a glob or a
 * scanned directory).
 *
 * @module
 */

import { isAbsolute, join, relative, resolve, sep as SEPARATOR } from "node:path";
import { InvalidArgumentError, LimitExceededError, NotFoundError } from "../../../shared/errors.ts";

/** Characters that make a path a glob pattern for Polars. */
const GLOB = /[*?[]/;

/** Whether Polars reads `path` as a glob pattern. */
export function isGlob(path: string): boolean {
  return GLOB.test(path);
}

/** Entries looked at under a glob or a directory before the scan is refused. */
export const MAX_SCAN_ENTRIES = 100_000;

/** Options of {@link resolveScanPath}. */
export interface ScanPathOptions {
  /** Whether a glob pattern is allowed (Parquet and IPC). @default false */
  glob?: boolean;
}

function refuse(path: string, rule: string): never {
  throw new InvalidArgumentError(
    `Cannot scan the file as 'path' must ${rule}: current value is ${
      JSON.stringify(path.slice(0, 200))
    }`,
  );
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !(rel === ".." || rel.startsWith(`..${SEPARATOR}`) || isAbsolute(rel));
}

function realPath(path: string, shown: string): string {
  try {
    return Deno.realPathSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NotFoundError(`Cannot scan ${JSON.stringify(shown)} as it does not exist`);
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new InvalidArgumentError(`Cannot scan ${JSON.stringify(shown)} as it is not readable`);
    }
    throw error;
  }
}

/** Checks every entry under `dir` (following links, once per real directory) stays inside. */
function checkTree(root: string, dir: string, shown: string): void {
  const seen = new Set<string>([dir]);
  const pending = [dir];
  let entries = 0;
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of Deno.readDirSync(current)) {
      if (++entries > MAX_SCAN_ENTRIES) {
        throw new LimitExceededError(
          `Cannot scan ${
            JSON.stringify(shown)
          } as a glob or directory must cover at most ${MAX_SCAN_ENTRIES} entries: current value is more`,
        );
      }
      const path = join(current, entry.name);
      if (!entry.isSymlink && !entry.isDirectory) continue;
      const real = entry.isSymlink ? realPath(path, shown) : path;
      if (!inside(root, real)) refuse(shown, "stay inside the data root (a link leads out)");
      if (!seen.has(real) && Deno.statSync(real).isDirectory) {
        seen.add(real);
        pending.push(real);
      }
    }
  }
}

/**
 * The absolute path to hand to the engine for `path`, relative to `dataRoot` (an absolute,
 * real path). Throws InvalidArgumentError for an absolute path, a ".." segment, a URL, a
 * glob where none is allowed, or a path (or a link under a glob or directory) that resolves
 * outside the root; NotFoundError when nothing exists there.
 */
export function resolveScanPath(
  dataRoot: string,
  path: string,
  options: ScanPathOptions = {},
): string {
  const glob = options.glob ?? false;
  if (path.includes("\0")) refuse(path, "not contain NUL");
  if (path.includes("://")) refuse(path, "be a path, not a URL");
  if (path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) {
    refuse(path, "be relative to the data root");
  }
  const segments = path.split(/[/\\]/);
  if (segments.includes("..")) refuse(path, "not contain '..'");
  const globAt = segments.findIndex((s) => GLOB.test(s));
  if (globAt >= 0 && !glob) refuse(path, "not be a glob pattern for this format");
  const full = resolve(dataRoot, ...segments);
  if (!inside(dataRoot, full)) refuse(path, "stay inside the data root");
  if (globAt < 0) {
    const real = realPath(full, path);
    if (!inside(dataRoot, real)) refuse(path, "stay inside the data root (a link leads out)");
    if (Deno.statSync(real).isDirectory) checkTree(dataRoot, real, path);
    return real;
  }
  // A glob: its fixed prefix must resolve inside the root, and so must every link below it.
  const prefix = realPath(resolve(dataRoot, ...segments.slice(0, globAt)), path);
  if (!inside(dataRoot, prefix)) refuse(path, "stay inside the data root (a link leads out)");
  if (!Deno.statSync(prefix).isDirectory) {
    throw new NotFoundError(`Cannot scan ${JSON.stringify(path)} as no directory matches it`);
  }
  checkTree(dataRoot, prefix, path);
  return join(prefix, ...segments.slice(globAt));
}
