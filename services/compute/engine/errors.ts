/**
 * Maps whatever nodejs-polars throws into the PolaroidError hierarchy, so no raw engine
 * error ever leaves the engine.
 *
 * @module
 */

import {
  ColumnNotFoundError,
  InternalError,
  LimitExceededError,
  NotFoundError,
  PolaroidError,
  QueryError,
} from "../../../shared/errors.ts";

/** Longest engine message passed on to a client; the rest is cut. */
const MAX_MESSAGE_CHARS = 2000;

/** Polars appends a dump of the plan after this marker; clients get the lines before. */
const PLAN_DUMP = /\n\s*Resolved plan until failure:/;

/** Rust panics print a backtrace hint after the message. */
const BACKTRACE = /\n\s*(stack backtrace:|note: run with `RUST_BACKTRACE)/;

const COLUMN_PATTERNS: readonly RegExp[] = [
  /unable to find column "((?:[^"\\]|\\.)*)"/,
  /^not found: "((?:[^"\\]|\\.)*)" not found/,
  /^not found: ([^\s;]+)/,
  /ColumnNotFound[^"]*"((?:[^"\\]|\\.)*)"/,
];

/** The engine's message without the plan dump and the backtrace, cut to a sane length. */
export function engineMessage(message: string): string {
  let text = message;
  const dump = PLAN_DUMP.exec(text);
  if (dump) text = text.slice(0, dump.index);
  const trace = BACKTRACE.exec(text);
  if (trace) text = text.slice(0, trace.index);
  text = text.trim();
  if (text.length > MAX_MESSAGE_CHARS) text = `${text.slice(0, MAX_MESSAGE_CHARS)}…`;
  return text === "" ? "the engine failed without a message" : text;
}

/** The column a Polars "not found" error names, if it names one. */
export function missingColumn(message: string): string | undefined {
  for (const pattern of COLUMN_PATTERNS) {
    const match = pattern.exec(message);
    if (match?.[1] !== undefined) return match[1].replace(/\\(.)/g, "$1");
  }
  return undefined;
}

function isColumnNotFound(message: string): boolean {
  return message.startsWith("not found:") || message.includes("ColumnNotFound");
}

function isMissingFile(message: string): boolean {
  return message.includes("No such file or directory") ||
    message.includes("expanded paths were empty");
}

/**
 * Maps anything the engine throws into a PolaroidError: PolaroidErrors pass unchanged;
 * unknown columns become ColumnNotFoundError; missing files NotFoundError; a JavaScript stack
 * overflow LimitExceededError; other Polars errors (type mismatch, bad cast, schema errors,
 * invalid operations, panics) QueryError with the engine's message; programming errors
 * (TypeError, ReferenceError) InternalError. The original error is kept as `cause`.
 */
export function fromEngineError(error: unknown): PolaroidError {
  if (error instanceof PolaroidError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new LimitExceededError(
      "Cannot run the plan as it nests too deeply for the engine: send a shallower plan",
      { cause: error },
    );
  }
  if (error instanceof TypeError || error instanceof ReferenceError) {
    return new InternalError(`The engine failed: ${engineMessage(error.message)}`, {
      cause: error,
    });
  }
  const raw = error instanceof Error ? error.message : String(error);
  const message = engineMessage(raw);
  if (isColumnNotFound(raw)) {
    const column = missingColumn(raw);
    return new ColumnNotFoundError(message, {
      cause: error,
      metadata: column === undefined ? {} : { column },
    });
  }
  if (isMissingFile(raw)) {
    // The engine's message names server paths: keep them out of the reply.
    return new NotFoundError("Cannot scan the file as no file exists at that path", {
      cause: error,
    });
  }
  return new QueryError(message, { cause: error });
}
