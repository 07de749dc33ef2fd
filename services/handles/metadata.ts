/**
 * Handle metadata: labels a client attaches to a handle when it makes it (a time-series
 * frame records its index and symbol columns there). The catalog keeps them with the
 * record; they are bounded so that a catalog entry stays small.
 *
 * @module
 */

import { InvalidArgumentError } from "../../shared/errors.ts";

/** Most entries per handle. */
export const MAX_METADATA_ENTRIES = 16;
/** Most bytes of keys and values together (UTF-8). */
export const MAX_METADATA_BYTES = 64 * 1024;
/** Keys: dotted lower-case words, at most 128 characters. */
export const METADATA_KEY = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

const encoder = new TextEncoder();

/** Returns a frozen copy of valid metadata; throws InvalidArgumentError otherwise. */
export function validateHandleMetadata(
  metadata: Record<string, string>,
): Readonly<Record<string, string>> {
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_ENTRIES) {
    throw new InvalidArgumentError(
      `Cannot register handle as 'metadata' must have at most ${MAX_METADATA_ENTRIES} entries: current value has ${entries.length}`,
      { metadata: { field: "metadata" } },
    );
  }
  let bytes = 0;
  for (const [key, value] of entries) {
    if (key.length > 128 || !METADATA_KEY.test(key)) {
      throw new InvalidArgumentError(
        `Cannot register handle as a 'metadata' key must match ${METADATA_KEY.source} (at most 128 characters): current value is ${
          JSON.stringify(key.slice(0, 140))
        }`,
        { metadata: { field: "metadata" } },
      );
    }
    bytes += encoder.encode(key).length + encoder.encode(value).length;
  }
  if (bytes > MAX_METADATA_BYTES) {
    throw new InvalidArgumentError(
      `Cannot register handle as 'metadata' must be at most ${MAX_METADATA_BYTES} bytes: current value is ${bytes} bytes`,
      { metadata: { field: "metadata" } },
    );
  }
  return Object.freeze(Object.fromEntries(entries));
}
