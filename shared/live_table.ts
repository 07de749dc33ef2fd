/**
 * Live tables in the state store: what the ingest service writes and compute reads.
 *
 * A live table is a run of **segments**, each an Arrow IPC file object under
 * `live/<tenant>/<table>/seg-<first>-<last>.arrow`, where `first..last` are the segment
 * numbers it covers (a segment the writer closed covers one number; a compacted segment
 * covers the numbers of those it replaced). A segment is committed by the store's own
 * commit (its metadata record, written last); its labels carry the source offsets reached
 * with it, so a restarted writer knows where its source was.
 *
 * A reader takes a **consistent prefix**: starting at the lowest number present, the
 * committed segment that starts at each next number (the widest when a compacted segment and
 * the ones it replaced are both present), stopping at the first number no segment starts at.
 *
 * @module
 */

import { InvalidArgumentError, NotFoundError, UnavailableError } from "./errors.ts";
import { validateTenant } from "./ids.ts";
import type { ObjectMeta, StateStore } from "./state_store/store.ts";

/** Live table names: as source names. */
export const LIVE_TABLE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Digits of a segment number in its key (so that keys sort by number). */
const DIGITS = 16;
/** The largest segment number. */
export const MAX_SEGMENT_NUMBER = 10 ** DIGITS - 1;

const SEGMENT = /\/seg-(\d{16})-(\d{16})\.arrow$/;

/** Label of a segment's metadata holding the source offsets reached with it (JSON). */
export const OFFSETS_LABEL = "offsets";
/**
 * Label of a segment's metadata holding the number of its first row since the table began
 * (decimal): a position in the table that compaction and retention do not move.
 */
export const FIRST_ROW_LABEL = "first_row";

/** The first row number of a segment's metadata, or undefined (a table older than it). */
export function firstRowOf(meta: ObjectMeta | undefined): number | undefined {
  const text = meta?.labels?.[FIRST_ROW_LABEL];
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  return Number(text);
}

/** Returns the name when it is a valid live table name; InvalidArgumentError otherwise. */
export function validateLiveTableName(name: string, field = "table"): string {
  if (typeof name !== "string" || !LIVE_TABLE_NAME.test(name)) {
    throw new InvalidArgumentError(
      `Cannot use live table as '${field}' must match ${LIVE_TABLE_NAME.source}: current value is ${
        JSON.stringify(String(name).slice(0, 80))
      }`,
      { metadata: { field } },
    );
  }
  return name;
}

/** The key prefix of a tenant's table: `live/<tenant>/<table>/`. */
export function liveTablePrefix(tenant: string, table: string): string {
  validateTenant(tenant);
  validateLiveTableName(table);
  return `live/${tenant}/${table}/`;
}

/** The key of the segment covering numbers `first..last` of a tenant's table. */
export function segmentKey(tenant: string, table: string, first: number, last: number): string {
  if (
    !Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0 || last < first ||
    last > MAX_SEGMENT_NUMBER
  ) {
    throw new RangeError(`Cannot name segment ${first}..${last} as it must be 0 ≤ first ≤ last`);
  }
  const pad = (n: number) => String(n).padStart(DIGITS, "0");
  return `${liveTablePrefix(tenant, table)}seg-${pad(first)}-${pad(last)}.arrow`;
}

/** A committed segment as a listing shows it. */
export interface SegmentRef {
  key: string;
  first: number;
  last: number;
  bytes: number;
  /** When its body was written (ms since epoch). */
  modifiedAtMs: number;
}

/** The numbers of a segment key, or undefined when the key is not a segment's. */
export function parseSegmentKey(key: string): { first: number; last: number } | undefined {
  const match = SEGMENT.exec(key);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  return last >= first ? { first, last } : undefined;
}

/** Every committed segment of the table, in key order (compacted ones and their parts both). */
export async function listSegments(
  store: StateStore,
  tenant: string,
  table: string,
): Promise<SegmentRef[]> {
  const out: SegmentRef[] = [];
  for await (const object of store.list(liveTablePrefix(tenant, table))) {
    if (!object.committed) continue;
    const numbers = parseSegmentKey(object.key);
    if (!numbers) continue;
    out.push({
      key: object.key,
      ...numbers,
      bytes: object.bytes,
      modifiedAtMs: object.modifiedAtMs,
    });
  }
  return out;
}

/**
 * The consistent prefix of `segments` (see the module doc): from the lowest number, at each
 * next number the widest segment starting there; it stops at a number nothing starts at.
 */
export function consistentPrefix(segments: readonly SegmentRef[]): SegmentRef[] {
  if (segments.length === 0) return [];
  const byFirst = new Map<number, SegmentRef>();
  let lowest = Infinity;
  for (const segment of segments) {
    const seen = byFirst.get(segment.first);
    if (!seen || segment.last > seen.last) byFirst.set(segment.first, segment);
    lowest = Math.min(lowest, segment.first);
  }
  const out: SegmentRef[] = [];
  for (let next = lowest, s = byFirst.get(next); s; next = s.last + 1, s = byFirst.get(next)) {
    out.push(s);
  }
  return out;
}

/** The source offsets of a segment's metadata ({} when it has none). */
export function offsetsOf(meta: ObjectMeta | undefined): Record<string, string> {
  const text = meta?.labels?.[OFFSETS_LABEL];
  if (!text) return {};
  const parsed = JSON.parse(text) as unknown;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Listings a snapshot tries when segments vanish under it (compaction, retention). */
const SNAPSHOT_TRIES = 5;

/**
 * Reads the consistent prefix of a table as it is now: lists it, then reads each segment
 * with `read` (after `check` saw the listing). A segment removed meanwhile (compacted or expired) makes it list again, a few
 * times; UnavailableError if the table keeps changing faster than it can be read.
 */
export async function readConsistentPrefix<T>(
  store: StateStore,
  tenant: string,
  table: string,
  read: (segment: SegmentRef) => Promise<T>,
  check?: (segments: readonly SegmentRef[]) => void,
): Promise<{ segments: SegmentRef[]; values: T[] }> {
  for (let attempt = 1;; attempt++) {
    const segments = consistentPrefix(await listSegments(store, tenant, table));
    check?.(segments);
    try {
      const values: T[] = [];
      for (const segment of segments) values.push(await read(segment));
      return { segments, values };
    } catch (error) {
      if (!(error instanceof NotFoundError) || attempt >= SNAPSHOT_TRIES) {
        if (error instanceof NotFoundError) {
          throw new UnavailableError(
            `Cannot read live table ${
              JSON.stringify(table)
            } as its segments changed ${SNAPSHOT_TRIES} times while it was read: try again`,
            { cause: error },
          );
        }
        throw error;
      }
    }
  }
}
