/**
 * Handle names: optional, chosen by the owner, unique among the owner's live handles, and
 * read by SQL queries as table names. A name is a plain SQL identifier, so it can be written
 * in a query without quotes and never reaches anything but the catalog.
 *
 * @module
 */

import { InvalidArgumentError } from "../../shared/errors.ts";

/** Longest handle name. */
export const MAX_HANDLE_NAME_LENGTH = 64;

/** A letter or underscore, then letters, digits and underscores (ASCII only). */
export const HANDLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Returns the name if it is a valid handle name ("" means no name and is valid); throws
 * InvalidArgumentError otherwise.
 */
export function validateHandleName(name: string): string {
  if (name === "") return name;
  if (name.length > MAX_HANDLE_NAME_LENGTH) {
    throw new InvalidArgumentError(
      `Cannot name handle as 'name' must be at most ${MAX_HANDLE_NAME_LENGTH} characters: current value is ${name.length} characters long`,
      { metadata: { field: "name" } },
    );
  }
  if (!HANDLE_NAME.test(name)) {
    throw new InvalidArgumentError(
      `Cannot name handle as 'name' must match ${HANDLE_NAME.source}: current value is ${
        JSON.stringify(name)
      }`,
      { metadata: { field: "name" } },
    );
  }
  return name;
}
