/**
 * The error every check of untrusted Arrow IPC throws: InvalidArrowError (INVALID_ARGUMENT),
 * with one message shape.
 *
 * @module
 */

import { InvalidArrowError } from "../errors.ts";
import { FlatBufferError } from "./flatbuffer.ts";

/** Options of invalid(). */
export interface InvalidOptions {
  /** The variable of the limit that refused, sent as the error's `limit` metadata. */
  limit?: string;
  /** The error behind it, for logs. */
  cause?: unknown;
}

/** `Cannot read Arrow IPC as <reason>`. */
export function invalid(reason: string, options: InvalidOptions = {}): InvalidArrowError {
  const { limit, cause } = options;
  return new InvalidArrowError(`Cannot read Arrow IPC as ${reason}`, {
    cause,
    metadata: limit === undefined ? {} : { limit },
  });
}

/** A field's name for messages: lossy UTF-8, at most 64 characters. */
export function fieldLabel(index: number, name: Uint8Array | undefined): string {
  if (name === undefined || name.byteLength === 0) return `field #${index}`;
  const text = new TextDecoder().decode(name.subarray(0, 256));
  return `field #${index} (${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)})`;
}

/** Runs `read`, turning a FlatBufferError into InvalidArrowError about `what`. */
export function flatOrInvalid<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FlatBufferError) {
      throw invalid(`${what} must be valid FlatBuffers: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
