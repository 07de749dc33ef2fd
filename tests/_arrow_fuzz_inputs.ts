/**
 * Inputs for fuzzing Arrow uploads, all from one seed: valid seeds (nodejs-polars streams and
 * files, uncompressed, lz4 and zstd; apache-arrow streams), mutated — bit flips, interesting
 * integers (2^61, -1, 2^31...) at random offsets and at the places a reader believes
 * (compressed length prefixes, field nodes, buffers, framing, footer blocks, type ids),
 * truncation, duplication, deletion, splicing two seeds — plus inputs fast-check generates:
 * random frames (which must be accepted), random frames mutated, and random bytes.
 *
 * @module
 */

import fc from "fast-check";
import * as arrow from "apache-arrow";
import pl from "nodejs-polars";
import { FlatBuffer } from "../shared/arrow/flatbuffer.ts";
import { isArrowFile } from "../shared/arrow/file.ts";
import {
  batchSlots,
  COMPRESSIONS,
  fileBlocks,
  type FramedMessage,
  messagesOf,
  polarsFile,
  polarsStream,
  richFrame,
} from "../shared/arrow/_testing.ts";
import { uniform } from "./_random.ts";

/** One input, and how it was made (for the report and a replay). */
export interface FuzzInput {
  readonly bytes: Uint8Array;
  readonly kind: string;
  /** True when the input is valid as made: anything but OK is a failure. */
  readonly valid: boolean;
}

/** A place in a seed a reader takes a number from: `width` bytes at `at`. */
interface HotSpot {
  readonly at: number;
  readonly width: 1 | 4 | 8;
}

interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly spots: readonly HotSpot[];
  /** Where each message starts (splice and duplication points). */
  readonly cuts: readonly number[];
}

/** The numbers of a message: framing, body length, batch nodes and buffers, compressed prefixes. */
function messageSpots(message: FramedMessage, spots: HotSpot[]): void {
  spots.push({ at: message.start + 4, width: 4 });
  const bodyLength = message.flat.root().field(3, 8);
  if (bodyLength !== undefined) spots.push({ at: message.metadataStart + bodyLength, width: 8 });
  if (message.headerType === 1) return schemaSpots(message, spots);
  for (const slots of batchSlots([message])) {
    if (slots.length !== undefined) spots.push({ at: slots.length, width: 8 });
    spots.push({ at: slots.nodesLength, width: 4 }, { at: slots.buffersLength, width: 4 });
    for (const node of slots.nodes) spots.push({ at: node, width: 8 }, { at: node + 8, width: 8 });
    for (const b of slots.buffers) {
      spots.push({ at: b.struct, width: 8 }, { at: b.struct + 8, width: 8 });
      if (b.length >= 8) spots.push({ at: b.body, width: 8 });
    }
  }
}

/** Type ids, type parameters, children counts and dictionary encodings of a schema. */
function schemaSpots(message: FramedMessage, spots: HotSpot[]): void {
  const base = message.metadataStart;
  const fields = message.header.vector(1, 4);
  if (fields === undefined) return;
  const stack = Array.from(
    { length: fields.length },
    (_, i) => message.header.vectorTable(fields, i),
  );
  while (stack.length > 0) {
    const field = stack.pop()!;
    const typeId = field.field(2, 1);
    if (typeId !== undefined) spots.push({ at: base + typeId, width: 1 });
    const param = field.table(3)?.field(0, 2);
    if (param !== undefined) spots.push({ at: base + param, width: 4 });
    const index = field.table(4)?.table(1)?.field(0, 4);
    if (index !== undefined) spots.push({ at: base + index, width: 4 });
    const children = field.vector(5, 4);
    if (children === undefined) continue;
    spots.push({ at: base + children.start - 4, width: 4 });
    for (let i = 0; i < children.length; i++) stack.push(field.vectorTable(children, i));
  }
}

function seedOf(name: string, bytes: Uint8Array): Seed {
  const spots: HotSpot[] = [];
  let messages: FramedMessage[];
  if (isArrowFile(bytes)) {
    const { footerStart, blocks } = fileBlocks(bytes);
    messages = messagesOf(bytes, 8, footerStart);
    spots.push({ at: bytes.byteLength - 10, width: 4 });
    for (const b of blocks) {
      spots.push({ at: b, width: 8 }, { at: b + 8, width: 4 }, { at: b + 16, width: 8 });
    }
    // The footer's own schema.
    const footer = new FlatBuffer(bytes.subarray(footerStart, bytes.byteLength - 10)).root();
    const schema = footer.table(1);
    if (schema) {
      schemaSpots({ ...messages[0]!, metadataStart: footerStart, header: schema }, spots);
    }
  } else {
    messages = messagesOf(bytes);
  }
  for (const m of messages) messageSpots(m, spots);
  return { name, bytes, spots, cuts: messages.map((m) => m.start) };
}

/** The valid inputs mutations start from. */
export function fuzzSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const small = pl.DataFrame({
    flag: [true, null, false, true],
    n: pl.Series("n", [1, null, 3, 4], pl.Int64),
    s: ["a", null, "ccc", "dd"],
  });
  for (const compression of COMPRESSIONS) {
    seeds.push(seedOf(`polars ${compression} stream`, polarsStream(richFrame(6), compression)));
    seeds.push(seedOf(`polars ${compression} file`, polarsFile(richFrame(4), compression)));
    seeds.push(seedOf(`small ${compression} stream`, polarsStream(small, compression)));
  }
  const table = arrow.tableFromArrays({
    i: Int32Array.of(1, 2, 3),
    f: Float64Array.of(0.5, 1.5, 2.5),
    s: ["x", "yy", "zzz"],
  });
  seeds.push(seedOf("arrow stream", arrow.tableToIPC(table, "stream")));
  seeds.push(seedOf("arrow file", arrow.tableToIPC(table, "file")));
  return seeds;
}

const INT64S = [
  0n,
  1n,
  -1n,
  -2n,
  7n,
  8n,
  2n ** 31n - 1n,
  2n ** 31n,
  2n ** 32n,
  2n ** 53n,
  2n ** 61n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  1_000_000_000n,
];
const INT32S = [0, 1, -1, 2, 255, 65_535, 2 ** 31 - 1, -(2 ** 31), 1 << 20];
const BYTES = [0, 1, 2, 4, 5, 13, 14, 16, 22, 23, 26, 27, 127, 255];

/** A seeded mutator over the seeds. */
class Mutator {
  readonly #random: () => number;
  readonly #seeds: readonly Seed[];

  constructor(seed: number, seeds: readonly Seed[]) {
    this.#random = uniform(seed);
    this.#seeds = seeds;
  }

  int(n: number): number {
    return Math.floor(this.#random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  write(bytes: Uint8Array, at: number, width: number, interesting: boolean): void {
    if (at < 0 || at + width > bytes.byteLength) return;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    if (width === 8) {
      const v = interesting ? this.pick(INT64S) : BigInt(this.int(2 ** 31)) - 2n ** 30n;
      view.setBigInt64(at, v, true);
    } else if (width === 4) {
      view.setInt32(at, interesting ? this.pick(INT32S) : this.int(2 ** 32) | 0, true);
    } else if (width === 2) view.setInt16(at, this.pick(INT32S) & 0xffff, true);
    else bytes[at] = interesting ? this.pick(BYTES) : this.int(256);
  }

  /** One mutation of `bytes` (of `seed`), in place or as new bytes. */
  mutateOnce(bytes: Uint8Array, seed: Seed): [Uint8Array, string] {
    const n = bytes.byteLength;
    const roll = this.int(100);
    if (roll < 15) {
      for (let k = 1 + this.int(4); k > 0; k--) bytes[this.int(n)]! ^= 1 << this.int(8);
      return [bytes, "bits"];
    }
    if (roll < 25) {
      for (let k = 1 + this.int(8); k > 0; k--) bytes[this.int(n)] = this.int(256);
      return [bytes, "bytes"];
    }
    if (roll < 40) {
      this.write(bytes, this.int(n), this.pick([1, 2, 4, 8]), true);
      return [bytes, "int@random"];
    }
    if (roll < 72 && seed.spots.length > 0) {
      const spot = this.pick(seed.spots);
      this.write(bytes, spot.at, spot.width, this.int(4) > 0);
      return [bytes, spot.width === 8 ? "int64@spot" : `int${spot.width * 8}@spot`];
    }
    if (roll < 80) return [bytes.slice(0, this.int(n)), "truncate"];
    if (roll < 86) {
      const from = this.pick(seed.cuts);
      const to = Math.min(n, from + 1 + this.int(n - from));
      const at = this.pick([...seed.cuts, n]);
      return [
        concat(bytes.subarray(0, at), bytes.subarray(from, to), bytes.subarray(at)),
        "duplicate",
      ];
    }
    if (roll < 91) {
      const from = this.int(n);
      return [concat(bytes.subarray(0, from), bytes.subarray(from + 1 + this.int(64))), "delete"];
    }
    const other = this.pick(this.#seeds);
    const cut = this.int(2) ? this.pick(seed.cuts) : this.int(n);
    const otherCut = this.int(2) ? this.pick(other.cuts) : this.int(other.bytes.byteLength);
    return [concat(bytes.subarray(0, cut), other.bytes.subarray(otherCut)), "splice"];
  }

  /** A seed with one to three mutations. */
  next(): FuzzInput {
    const seed = this.pick(this.#seeds);
    let bytes: Uint8Array = seed.bytes.slice();
    const kinds: string[] = [];
    for (let k = 1 + (this.int(3) === 0 ? this.int(3) : 0); k > 0; k--) {
      if (bytes.byteLength === 0) break;
      const [out, kind] = this.mutateOnce(bytes, seed);
      bytes = out;
      kinds.push(kind);
    }
    return { bytes, kind: `${seed.name}: ${kinds.join("+")}`, valid: false };
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Random small frames as nodejs-polars writes them: valid, so they must be accepted. */
const frames: fc.Arbitrary<{ bytes: Uint8Array; kind: string }> = fc.record({
  rows: fc.integer({ min: 0, max: 40 }),
  columns: fc.uniqueArray(fc.constantFrom("int", "float", "str", "bool", "list", "cat", "date"), {
    minLength: 1,
  }),
  compression: fc.constantFrom(...COMPRESSIONS),
  file: fc.boolean(),
  salt: fc.integer(),
}).map(({ rows, columns, compression, file, salt }) => {
  const r = uniform(salt);
  const maybe = <T>(v: T) => (r() < 0.2 ? null : v);
  const idx = Array.from({ length: rows }, (_, i) => i);
  const make: Record<string, () => pl.Series> = {
    int: () => pl.Series("int", idx.map(() => maybe(Math.floor(r() * 1e6) - 5e5)), pl.Int64),
    float: () => pl.Series("float", idx.map(() => maybe(r() * 100))),
    str: () => pl.Series("str", idx.map(() => maybe("s".repeat(Math.floor(r() * 30))))),
    bool: () => pl.Series("bool", idx.map(() => maybe(r() < 0.5))),
    list: () => pl.Series("list", idx.map(() => idx.slice(0, Math.floor(r() * 4)))),
    cat: () =>
      pl.Series("cat", idx.map(() => maybe(["a", "b", "c"][Math.floor(r() * 3)]!))).cast(
        pl.Categorical,
      ),
    date: () => pl.Series("date", idx.map((i) => new Date(Date.UTC(2020, 0, 1 + i)))).cast(pl.Date),
  };
  const df = pl.DataFrame(columns.map((c) => make[c]!()));
  const bytes = file ? polarsFile(df, compression) : polarsStream(df, compression);
  return {
    bytes,
    kind: `${columns.join(",")} ×${rows} ${compression} ${file ? "file" : "stream"}`,
  };
});

/** fast-check inputs: valid frames, the same with writes at random places, random bytes. */
function generated(seed: number, count: number): FuzzInput[] {
  const write = fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    width: fc.constantFrom(1, 4, 8),
  });
  const input: fc.Arbitrary<FuzzInput> = fc.oneof(
    frames.map(({ bytes, kind }) => ({ bytes, kind: `fc frame ${kind}`, valid: true })),
    fc.tuple(frames, fc.array(write, { minLength: 1, maxLength: 4 })).map(
      ([{ bytes, kind }, writes]) => {
        const out = bytes.slice();
        const view = new DataView(out.buffer);
        for (const { at, value, width } of writes) {
          const p = Math.floor(at * (out.byteLength - width));
          if (width === 8) view.setBigInt64(p, value, true);
          else if (width === 4) view.setInt32(p, Number(BigInt.asIntN(32, value)), true);
          else out[p] = Number(BigInt.asUintN(8, value));
        }
        return { bytes: out, kind: `fc frame+writes ${kind}`, valid: false };
      },
    ),
    fc.tuple(
      fc.constantFrom("", "ARROW1\0\0", "\xff\xff\xff\xff"),
      fc.uint8Array({ minLength: 1, maxLength: 2048 }),
    )
      .map(([prefix, rest]) => ({
        bytes: concat(Uint8Array.from(prefix, (c) => c.charCodeAt(0)), rest),
        kind: `fc bytes after ${JSON.stringify(prefix)}`,
        valid: false,
      })),
  );
  return fc.sample(input, { seed, numRuns: count });
}

/**
 * `count` inputs from `seed`: the seeds as they are, then mutations, with one in
 * `generatedEvery` from fast-check; the same seed gives the same inputs.
 */
export function* fuzzInputs(
  seed: number,
  count: number,
  options: { generatedEvery?: number } = {},
): Generator<FuzzInput> {
  const seeds = fuzzSeeds();
  const every = options.generatedEvery ?? 5;
  const mutator = new Mutator(seed, seeds);
  let produced = 0;
  for (const s of seeds) {
    if (produced++ >= count) return;
    yield { bytes: s.bytes, kind: `seed ${s.name}`, valid: true };
  }
  // fast-check inputs in chunks, so a long run does not hold them all.
  let pending: FuzzInput[] = [];
  let round = 0;
  while (produced < count) {
    if (produced % every === 0) {
      if (pending.length === 0) pending = generated(seed + round++, 200);
      yield pending.pop()!;
    } else {
      yield mutator.next();
    }
    produced++;
  }
}
