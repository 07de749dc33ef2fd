/**
 * Running a sink: the plan's LazyFrame written by nodejs-polars' sink of the format (Polars'
 * streaming engine, off the event loop, in bounded memory) into a temporary file, watched
 * while it grows. nodejs-polars cannot stop a running sink: when the call ends (cancelled,
 * past its deadline) or the file grows past its bound, the temporary file is unlinked at
 * once and the call fails; the engine runs on into the unlinked file, which the filesystem
 * frees when the engine closes it; a file the engine creates later is removed as it appears
 * and when the engine ends. Nothing is ever left under the target's name.
 *
 * @module
 */

import pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import { FileFormat } from "../../../shared/gen/polaroid/v1/plan.ts";

/** Sinks whose engine is running, those of ended calls included (a metric). */
export interface EngineCount {
  running: number;
}

/** Options of {@link sinkToFile}. */
export interface SinkToFileOptions {
  /** Ends the sink early (the call's signal). */
  signal: AbortSignal;
  /** Bytes the file may grow to (POLAROID_MAX_OUTPUT_BYTES). */
  maxBytes: number;
  /** How often the file's size is looked at. @default 100 */
  watchIntervalMs?: number;
  /** Counts this sink's engine while it runs. */
  engines?: EngineCount;
  /** Called once the engine has ended, after a failure too (for the call's log). */
  onEngineEnd?: () => void;
}

/** The format's sink of `lf` into `path`, with nodejs-polars' `options`. */
function sinkOf(
  lf: pl.LazyDataFrame,
  format: FileFormat,
  path: string,
  options: Record<string, unknown>,
): pl.LazyDataFrame {
  // nodejs-polars writes its defaults into the options object: give it a copy.
  const o = { ...options };
  switch (format) {
    case FileFormat.FILE_FORMAT_PARQUET:
      return lf.sinkParquet(path, o);
    case FileFormat.FILE_FORMAT_CSV:
      return lf.sinkCSV(path, o);
    case FileFormat.FILE_FORMAT_IPC:
      return lf.sinkIpc(path, o);
    case FileFormat.FILE_FORMAT_NDJSON:
      return lf.sinkNdJson(path, o);
    default:
      throw new TypeError(`Cannot sink to format ${format}`);
  }
}

async function remove(path: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
}

async function size(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return 0;
  }
}

function tooLarge(bytes: number, max: number): LimitExceededError {
  return new LimitExceededError(
    `Cannot write the file as it must have at most ${max} bytes (POLAROID_MAX_OUTPUT_BYTES): current value is ${bytes} and growing`,
    { metadata: { limit: String(max) } },
  );
}

/**
 * Writes `lf` to `temp` in `format` and returns the file's size. On any failure (the
 * engine's, the signal, the size bound) `temp` is removed and the error thrown; an engine
 * that runs on has its file removed as it appears and when it ends.
 */
export async function sinkToFile(
  lf: pl.LazyDataFrame,
  format: FileFormat,
  temp: string,
  engineOptions: Record<string, unknown>,
  options: SinkToFileOptions,
): Promise<number> {
  const { signal, maxBytes, engines } = options;
  signal.throwIfAborted();
  const running = sinkOf(lf, format, temp, engineOptions).collect();
  if (engines) engines.running++;
  // Whatever ends first: the engine, or a reason to stop waiting for it.
  let stop: (reason: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  const onAbort = () => stop(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let abandoned = false;
  const timer = setInterval(async () => {
    if (abandoned) return await remove(temp);
    const bytes = await size(temp);
    if (bytes > maxBytes) stop(tooLarge(bytes, maxBytes));
  }, options.watchIntervalMs ?? 100);
  void running.then(() => {}, () => {}).then(async () => {
    clearInterval(timer);
    if (abandoned) await remove(temp);
    if (engines) engines.running--;
    options.onEngineEnd?.();
  });
  try {
    await Promise.race([running, stopped]);
    const bytes = await size(temp);
    if (bytes > maxBytes) throw tooLarge(bytes, maxBytes);
    return bytes;
  } catch (error) {
    abandoned = true;
    await remove(temp);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Rows of a written Parquet or IPC file, from its metadata; undefined for CSV and NDJSON
 * (counting would parse the whole file).
 */
export async function writtenRows(format: FileFormat, path: string): Promise<number | undefined> {
  const scan = format === FileFormat.FILE_FORMAT_PARQUET
    ? pl.scanParquet(path)
    : format === FileFormat.FILE_FORMAT_IPC
    ? pl.scanIPC(path)
    : undefined;
  if (scan === undefined) return undefined;
  const counted = await scan.select(pl.len()).collect();
  return Number(counted.getColumn("len").get(0));
}
