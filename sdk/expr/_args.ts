/**
 * Positional arguments of a namespace method as they travel: trailing omitted arguments are
 * left out, omitted ones before a given one travel as null (the server's default).
 *
 * @module
 */

import type { ArgValue } from "./call.ts";

/** The arguments without trailing undefined, inner undefined as null. */
export function args(list: readonly (ArgValue | undefined)[]): ArgValue[] {
  let end = list.length;
  while (end > 0 && list[end - 1] === undefined) end--;
  return list.slice(0, end).map((v) => v ?? null);
}
