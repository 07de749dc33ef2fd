import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { A, col, int64, m, named, refused, select, typeOf, values } from "./string_testing.ts";

const HOUR_MS = 3_600_000n;

/** ms: Datetime(ms) around the epoch; ny: Datetime(ms, New York) across the spring switch. */
function frame(): pl.DataFrame {
  const ny = [Date.UTC(2024, 2, 10, 6, 30), Date.UTC(2024, 2, 10, 7, 30), Date.UTC(2024, 4, 1)];
  return pl.DataFrame([
    int64("ms", [-1500n, 1500n, 86_399_999n]).cast(pl.Datetime("ms")),
    int64("ny", ny.map(BigInt)).cast(pl.Datetime("ms", "America/New_York")),
    pl.Series("d", Int32Array.from([-1, 0, 19_783])).cast(pl.Date),
  ]);
}

const [ms, ny, d] = [col("ms"), col("ny"), col("d")];

Deno.test("dt functions refuse units, zones and options they do not know", async () => {
  const df = frame();
  await refused(df, m("dt.timestamp", ms, [A.str("s")]), /must be one of "ns", "us", "ms"/);
  await refused(df, m("dt.epoch", ms, [A.str("h")]), /must be one of "ns", "us", "ms", "s", "d"/);
  await refused(df, m("dt.castTimeUnit", ms, [A.str("s")]), /must be one of "ns", "us", "ms"/);
  await refused(df, m("dt.truncate", ms, [A.int(1)]), /argument 1 must be a string/);
  await refused(df, m("dt.convertTimeZone", ny, [A.str("Mars/Olympus")]), /time zone the engine/);
  await refused(df, m("dt.replaceTimeZone", ms, [A.str("Nowhere")]), /time zone the engine/);
  await refused(
    df,
    m("dt.replaceTimeZone", ms, [A.str("UTC"), A.str("first")]),
    /argument 2 must be one of "raise", "earliest", "latest", "null"/,
  );
  await refused(
    df,
    m("dt.replaceTimeZone", ms, [A.str("UTC"), A.str("raise"), A.str("shift")]),
    /argument 3 must be one of "raise", "null"/,
  );
  await refused(df, m("dt.year", ms, [A.int(1)]), /dt\.year\.args' must hold 1 arguments/);
});

Deno.test("dt.timestamp() and dt.epoch() give exact units", async () => {
  const out = await select(
    frame(),
    named(m("dt.timestamp", ny), "default"),
    named(m("dt.timestamp", ny, [A.str("ns")]), "ns"),
    named(m("dt.timestamp", d, [A.str("us")]), "d_us"),
    named(m("dt.epoch", ms), "us"),
    named(m("dt.epoch", ms, [A.str("s")]), "s"),
    named(m("dt.epoch", ms, [A.str("d")]), "days"),
  );
  const nyMs = [Date.UTC(2024, 2, 10, 6, 30), Date.UTC(2024, 2, 10, 7, 30), Date.UTC(2024, 4, 1)]
    .map(BigInt);
  assert.deepEqual(values(out, "default"), nyMs);
  assert.deepEqual(values(out, "ns"), nyMs.map((v) => v * 1_000_000n));
  assert.deepEqual(values(out, "d_us"), [-86_400_000_000n, 0n, 19_783n * 86_400_000_000n]);
  assert.deepEqual(values(out, "us"), [-1_500_000n, 1_500_000n, 86_399_999_000n]);
  // Seconds truncate toward zero (Python Polars' epoch("s")); days floor (a date).
  assert.deepEqual(values(out, "s"), [-1n, 1n, 86_399n]);
  assert.equal(typeOf(out, "days"), "Int32");
  assert.deepEqual(values(out, "days"), [-1, 0, 0]);
  // Unaliased, each keeps its input's name, as in Python Polars.
  for (const unit of ["ns", "us", "ms", "s", "d"]) {
    const bare = await select(frame(), m("dt.epoch", ms, [A.str(unit)]));
    assert.deepEqual(bare.columns, ["ms"], unit);
  }
});

Deno.test("dt.quarter(), millisecond() and microsecond() are Python Polars' parts", async () => {
  const out = await select(
    frame(),
    named(m("dt.quarter", d), "q"),
    named(m("dt.millisecond", ms), "milli"),
    named(m("dt.microsecond", ms), "micro"),
  );
  assert.equal(typeOf(out, "q"), "Int8");
  assert.deepEqual(values(out, "q"), [4, 1, 1]);
  assert.equal(typeOf(out, "milli"), "Int32");
  assert.deepEqual(values(out, "milli"), [500, 500, 999]);
  assert.deepEqual(values(out, "micro"), [500_000, 500_000, 999_000]);
});

Deno.test("dt.replaceTimeZone(null) keeps the wall clock without a zone", async () => {
  const out = await select(
    frame(),
    named(m("dt.replaceTimeZone", ny, [A.null()]), "wall"),
    named(m("dt.replaceTimeZone", ms, [A.str("Asia/Tokyo")]), "tokyo"),
  );
  assert.equal(typeOf(out, "wall"), "Timestamp<MILLISECOND>");
  assert.deepEqual(values(out, "wall"), [
    BigInt(Date.UTC(2024, 2, 10, 1, 30)),
    BigInt(Date.UTC(2024, 2, 10, 3, 30)),
    BigInt(Date.UTC(2024, 4, 1)) - 4n * HOUR_MS,
  ]);
  assert.equal(typeOf(out, "tokyo"), "Timestamp<MILLISECOND, Asia/Tokyo>");
  assert.deepEqual(values(out, "tokyo")[1], 1500n - 9n * HOUR_MS);
});
