import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { P, run } from "./_testing.ts";
import { MAX_ROWS, sliceRange, tailRange } from "./slice.ts";

/** Polars' slice semantics on a frame of n rows, in exact integers. */
function expectedRows(n: number, offset: bigint, length?: bigint): number[] {
  const rows = BigInt(n);
  const start = offset < 0n ? rows + offset : offset;
  const stop = length === undefined ? rows : start + length;
  const from = start < 0n ? 0n : start > rows ? rows : start;
  const to = stop < 0n ? 0n : stop > rows ? rows : stop;
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(Number(i));
  return out;
}

const OFFSETS = [
  0n,
  1n,
  4n,
  5n,
  9n,
  -1n,
  -4n,
  -5n,
  -9n,
  BigInt(MAX_ROWS),
  BigInt(MAX_ROWS) + 1n,
  -(1n << 32n),
  -(1n << 33n),
  -(1n << 40n),
  -(1n << 63n),
  (1n << 63n) - 1n,
];
const LENGTHS = [
  undefined,
  0n,
  1n,
  3n,
  5n,
  9n,
  1n << 32n,
  (1n << 33n) - 2n,
  (1n << 33n) + 3n,
  (1n << 40n) - 1n,
  (1n << 64n) - 1n,
];

Deno.test("sliceRange() matches Polars' slice semantics for any 64-bit offset and length", async () => {
  const n = 5;
  const df = pl.DataFrame({ r: [0, 1, 2, 3, 4] });
  for (const offset of OFFSETS) {
    for (const length of LENGTHS) {
      const out = await run(P.slice(P.handle("t"), offset, length), { t: df });
      assert.deepStrictEqual(
        out.getColumn("r").toArray(),
        expectedRows(n, offset, length),
        `slice(${offset}, ${length})`,
      );
    }
  }
});

Deno.test("sliceRange() passes only arguments that fit the engine", () => {
  for (const offset of OFFSETS) {
    for (const length of LENGTHS) {
      const range = sliceRange(offset, length);
      if (range.kind === "tail") {
        assert.ok(range.n >= 0 && range.n <= MAX_ROWS);
      } else {
        assert.ok(range.length >= 0 && range.length <= MAX_ROWS);
        assert.ok(Number.isSafeInteger(range.offset));
      }
    }
  }
  assert.deepStrictEqual(tailRange(1n << 60n), { kind: "tail", n: MAX_ROWS });
  assert.deepStrictEqual(sliceRange(-3n), { kind: "tail", n: 3 });
});
