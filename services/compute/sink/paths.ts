/**
 * Where a sink writes: a path relative to the tenant's output root (files) or prefix (S3),
 * checked as scans check theirs (no absolute path, no `..`, no URL, no symbolic link that
 * leads out of the root), and the temporary file beside the target that becomes it by a
 * rename, so that no reader ever sees a partial file.
 *
 * @module
 */

import { isAbsolute, join, relative, sep as SEPARATOR } from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../../shared/errors.ts";

/** Temporary files start with this; a path may not name one. */
export const TEMP_PREFIX = ".polaroid-tmp-";

/** Longest path a client may send, in UTF-8 bytes. */
export const MAX_PATH_BYTES = 1024;

/** Longest last segment (a file name), leaving room for the temporary name's prefix. */
export const MAX_NAME_BYTES = 200;

const encoder = new TextEncoder();

function refuse(path: string, rule: string): never {
  throw new InvalidArgumentError(
    `Cannot write the file as 'path' must ${rule}: current value is ${
      JSON.stringify(path.slice(0, 200))
    }`,
  );
}

/**
 * The segments of a client's output path, checked: a relative path of segments separated by
 * `/` (or `\`; empty and `.` ones dropped), without `..`, control characters, a URL scheme,
 * or a last segment that is not a file name or names a temporary file.
 */
export function outputSegments(path: unknown): string[] {
  if (typeof path !== "string" || path.length === 0) refuse(String(path), "be a non-empty path");
  if (encoder.encode(path).byteLength > MAX_PATH_BYTES) {
    refuse(path, `have at most ${MAX_PATH_BYTES} bytes`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) refuse(path, "not contain control characters");
  if (path.includes("://")) refuse(path, "be a path, not a URL");
  if (path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) {
    refuse(path, "be relative to the output root");
  }
  const raw = path.split(/[/\\]/);
  if (raw.includes("..")) refuse(path, "not contain '..'");
  const name = raw[raw.length - 1]!;
  if (name === "" || name === ".") refuse(path, "name a file (not end with '/' or '.')");
  // As scans read them: empty and "." segments name the same directory.
  const segments = raw.filter((s) => s !== "" && s !== ".");
  if (name.startsWith(TEMP_PREFIX)) refuse(path, `not name a file starting with ${TEMP_PREFIX}`);
  if (encoder.encode(name).byteLength > MAX_NAME_BYTES) {
    refuse(path, `have a file name of at most ${MAX_NAME_BYTES} bytes`);
  }
  return segments;
}

/** A temporary file name for `name`: it keeps the name's extensions (the engine checks them). */
export function tempName(name: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${TEMP_PREFIX}${hex}-${name}`;
}

/** Where a file is written (`temp`) and what it becomes (`target`), both absolute. */
export interface OutputFile {
  target: string;
  temp: string;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !(rel === ".." || rel.startsWith(`..${SEPARATOR}`) || isAbsolute(rel));
}

async function lstat(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Options of {@link resolveOutputFile}. */
export interface OutputFileOptions {
  /** Create the missing directories of the path (nodejs-polars' `mkdir`). @default false */
  mkdir?: boolean;
}

/**
 * The file `path` names under `root` (an absolute, real path), with its temporary twin in
 * the same directory. Each directory of the path must exist (or is created with `mkdir`) and
 * resolve inside the root, links included; the target must not be a directory or a link.
 * InvalidArgumentError for a path that breaks a rule, NotFoundError for a missing directory.
 */
export async function resolveOutputFile(
  root: string,
  path: string,
  options: OutputFileOptions = {},
): Promise<OutputFile> {
  const segments = outputSegments(path);
  const name = segments.pop()!;
  let dir = root;
  for (const [i, segment] of segments.entries()) {
    const next = join(dir, segment);
    const shown = segments.slice(0, i + 1).join("/");
    const info = await lstat(next);
    if (info === undefined) {
      if (!options.mkdir) {
        throw new NotFoundError(
          `Cannot write ${
            JSON.stringify(path)
          } as its directory ${shown} does not exist (option 'mkdir' creates it)`,
        );
      }
      await Deno.mkdir(next).catch((error) => {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      });
      dir = next;
      continue;
    }
    const real = info.isSymlink ? await Deno.realPath(next).catch(() => undefined) : next;
    if (real === undefined || !inside(root, real)) {
      refuse(path, "stay inside the output root (a link leads out)");
    }
    if (!(await Deno.stat(real)).isDirectory) {
      refuse(path, `have directories only: ${shown} is not one`);
    }
    dir = real;
  }
  const target = join(dir, name);
  const existing = await lstat(target);
  if (existing?.isSymlink) refuse(path, "not name a symbolic link");
  if (existing?.isDirectory) refuse(path, "not name a directory");
  return { target, temp: join(dir, tempName(name)) };
}
