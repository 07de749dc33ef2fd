/**
 * The physical layout of an Arrow field in a record batch, per Arrow's columnar format: which
 * buffers it carries, how large each must be for a given length, and how its children's
 * lengths relate to its own. A record batch is checked against a schema's fields flattened
 * in pre-order, one {@link FieldLayout} per field node.
 *
 * @module
 */

/** What one buffer of a field holds, which fixes the least number of bytes it needs. */
export type BufferRole =
  /** A validity bitmap: absent (0 bytes) when there are no nulls, else one bit per slot. */
  | { readonly kind: "validity" }
  /** Fixed-width values: `bits` per slot (1 for booleans). */
  | { readonly kind: "values"; readonly bits: number }
  /** Offsets: one more than the slots, of `bytes` each (may be empty for 0 slots). */
  | { readonly kind: "offsets"; readonly bytes: 4 | 8 }
  /** One integer of `bytes` per slot (list-view offsets and sizes, dense union offsets). */
  | { readonly kind: "ranges"; readonly bytes: 4 | 8 }
  /** Bytes referred to by offsets or views: any size. */
  | { readonly kind: "data" };

/** How the lengths of a field's children relate to its own length. */
export type ChildRule =
  /** Each child has at least as many slots as the field (struct, sparse union). */
  | "atLeastParent"
  /** The child has at least length × listSize slots (fixed-size list). */
  | "timesListSize"
  /** Offsets or run ends decide (lists, maps, dense unions, run-end encoded). */
  | "free";

/** The layout of one field of a record batch (its value type, or its dictionary's indices). */
export interface FieldLayout {
  /** The Arrow type, for messages (`Int64`, `LargeUtf8`, `Dictionary<Int32>`...). */
  readonly type: string;
  readonly buffers: readonly BufferRole[];
  /** Binary and string views: variadic data buffers follow, counted by the batch. */
  readonly views: boolean;
  /** Unions: metadata V4 still gave them a validity bitmap first. */
  readonly union: boolean;
  readonly childRule: ChildRule;
  /** Slots per list of a fixed-size list, else 0. */
  readonly listSize: number;
  /** Index of the parent in the flattened layout; -1 for a top-level field. */
  readonly parent: number;
}

export const VALIDITY: BufferRole = { kind: "validity" };
export const DATA: BufferRole = { kind: "data" };

/** The buffers of fixed-width values of `bits` each (booleans: 1). */
export function fixedWidth(bits: number): readonly BufferRole[] {
  return [VALIDITY, { kind: "values", bits }];
}

/**
 * The least number of bytes a buffer of `role` needs for `length` slots; a validity bitmap's
 * 0 (absent) is allowed separately. May exceed 2^53 for absurd lengths: compared, not used.
 */
export function minimumBytes(role: BufferRole, length: number): number {
  switch (role.kind) {
    case "validity":
      return Math.ceil(length / 8);
    case "values":
      return Math.ceil((length * role.bits) / 8);
    case "offsets":
      return length === 0 ? 0 : (length + 1) * role.bytes;
    case "ranges":
      return length * role.bytes;
    case "data":
      return 0;
  }
}
