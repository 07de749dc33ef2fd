import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { dtype, Kind, TimeUnit } from "../_testing.ts";
import { MAX_PAD_WIDTH } from "./string_pad.ts";
import {
  A,
  col,
  failsAtRun,
  int64,
  m,
  named,
  refused,
  select,
  typeOf,
  values,
} from "./string_testing.ts";

function frame(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("s", ["a,b", null, "", "東京,x,", "  pad "]),
    pl.Series("w", [2, 3, null, 5, 1], pl.Int64),
    pl.Series("ts", [
      "2024-03-10 01:30:00",
      "2024-03-10 03:30:00",
      null,
      "bad",
      "2024-11-03 01:30:00",
    ]),
  ]);
}

const s = col("s");

Deno.test("str functions refuse arguments of the wrong kind or range", async () => {
  const df = frame();
  await refused(
    df,
    m("str.extract", s, [A.str("(a)"), A.int(-1)]),
    /argument 2 must be at least 0/,
  );
  await refused(df, m("str.decode", s, [A.str("utf8")]), /must be one of "hex", "base64"/);
  await refused(df, m("str.encode", s, [A.int(1)]), /argument 1 must be a string/);
  await refused(df, m("str.split", s, [A.str(","), A.str("yes")]), /argument 2 must be a boolean/);
  await refused(df, m("str.padStart", s, [A.int(3), A.str("")]), /must hold one character/);
  await refused(df, m("str.concat", s, [A.e(col("w"))]), /argument 1 must be a string/);
  await refused(df, m("str.lengths", s, [A.int(1)]), /str\.lengths\.args' must hold 1 arguments/);
  await refused(df, m("str.slice", s, [A.int(0), A.int(-1)]), /argument 2 must be at least 0/);
  await refused(
    df,
    m("str.strptime", s, [A.dtype(dtype(Kind.KIND_INT64))]),
    /argument 1 must be Date or Datetime/,
  );
  await refused(
    df,
    m("str.strptime", s, [A.str("Date")]),
    /argument 1 must be one of "Datetime"/,
  );
  await refused(
    df,
    m("str.strptime", s, [A.dtype(dtype(Kind.KIND_DATE))], { ambiguous: A.str("earliest") }),
    /'ambiguous' must be unset for a Date/,
  );
  await refused(
    df,
    m("str.strptime", s, [A.str("Datetime")], { ambiguous: A.str("first") }),
    /'ambiguous' must be one of/,
  );
  await refused(
    df,
    m("str.strptime", s, [A.str("Datetime")], { lenient: A.bool(true) }),
    /options' must hold only "strict", "exact", "cache", "ambiguous"/,
  );
  await refused(
    df,
    m("str.strptime", s, [A.dtype(dtype(Kind.KIND_DATETIME, { timeZone: "Mars/Olympus" }))]),
    /argument 1 must name a time zone the engine knows .*"Mars\/Olympus"/,
  );
});

Deno.test("str.replace() takes n only for literal patterns", async () => {
  const df = frame();
  await refused(
    df,
    m("str.replace", s, [A.str("[a-z]"), A.str("_"), A.bool(false), A.int(2)]),
    /argument 4 must be 1 for a regex pattern/,
  );
  const out = await select(
    df,
    named(m("str.replace", s, [A.str(","), A.str(";"), A.bool(true), A.int(2)]), "lit"),
    named(m("str.replace", s, [A.str("[a-z]"), A.str("_")]), "re"),
  );
  assert.deepEqual(values(out, "lit"), ["a;b", null, "", "東京;x;", "  pad "]);
  assert.deepEqual(values(out, "re"), ["_,b", null, "", "東京,_,", "  _ad "]);
});

Deno.test(`padStart, padEnd and zFill refuse widths above ${MAX_PAD_WIDTH}`, async () => {
  const df = frame();
  const over = A.int(MAX_PAD_WIDTH + 1);
  await refused(df, m("str.padStart", s, [over, A.str("*")]), /argument 1 must be at most 10000/);
  await refused(df, m("str.padEnd", s, [over, A.str("*")]), /argument 1 must be at most 10000/);
  await refused(df, m("str.zFill", s, [over]), /argument 1 must be at most 10000/);
  await refused(df, m("str.zFill", s, [A.int(-1)]), /argument 1 must be at least 0/);
  // A width read from the data is checked as the query runs, before any padding.
  const huge = pl.DataFrame([pl.Series("s", ["1", "2"]), int64("w", [3n, 2n ** 40n])]);
  await failsAtRun(huge, m("str.zFill", s, [A.e(col("w"))]), /width must be at most 10000/);
  const ok = await select(
    frame(),
    named(m("str.zFill", s, [A.e(col("w"))]), "z"),
    named(m("str.padStart", s, [A.int(MAX_PAD_WIDTH), A.str("*")]), "p"),
  );
  assert.deepEqual(values(ok, "z"), ["a,b", null, null, "東京,x,", "  pad "]);
  assert.equal((values(ok, "p")[0] as string).length, MAX_PAD_WIDTH);
});

Deno.test("str.lengths() counts characters as UInt32 that arithmetic can use", async () => {
  const out = await select(
    frame(),
    named(m("str.lengths", s), "n"),
    named({
      kind: {
        $case: "binary",
        value: {
          op: 1,
          left: m("str.lengths", s),
          right: { kind: { $case: "column", value: { name: "w" } } },
        },
      },
    }, "sum"),
  );
  assert.equal(typeOf(out, "n"), "Uint32");
  assert.deepEqual(values(out, "n"), [3, null, 0, 5, 6]);
  assert.deepEqual(values(out, "sum"), [5n, null, null, 10n, 7n]);
});

Deno.test("str.split() keeps separators when inclusive", async () => {
  const out = await select(
    frame(),
    named(m("str.split", s, [A.str(","), A.bool(true)]), "inc"),
    named(m("str.split", s, [A.str(",")]), "exc"),
  );
  assert.deepEqual(values(out, "inc"), [["a,", "b"], null, [], ["東京,", "x,"], ["  pad "]]);
  assert.deepEqual(values(out, "exc"), [["a", "b"], null, [""], ["東京", "x", ""], ["  pad "]]);
});

Deno.test("str.strptime() gives the asked time unit and zone, and is strict on request", async () => {
  const ts = col("ts");
  const ny = dtype(Kind.KIND_DATETIME, {
    timeUnit: TimeUnit.TIME_UNIT_NANOSECONDS,
    timeZone: "America/New_York",
  });
  const fmt = A.str("%Y-%m-%d %H:%M:%S");
  const out = await select(
    frame(),
    named(m("str.strptime", ts, [A.dtype(ny), fmt], { ambiguous: A.str("earliest") }), "ny"),
    named(
      m("str.strptime", ts, [
        A.dtype(dtype(Kind.KIND_DATETIME, { timeUnit: TimeUnit.TIME_UNIT_MILLISECONDS })),
        fmt,
      ]),
      "ms",
    ),
    named(m("str.strptime", ts, [A.str("Datetime"), fmt]), "inferred"),
  );
  assert.equal(typeOf(out, "ny"), "Timestamp<NANOSECOND, America/New_York>");
  assert.equal(typeOf(out, "ms"), "Timestamp<MILLISECOND>");
  assert.equal(typeOf(out, "inferred"), "Timestamp<MICROSECOND>");
  const utc = (text: string) => BigInt(Date.parse(text)) * 1_000_000n;
  // 01:30 EST (-5), 03:30 EDT (-4, after the spring switch), 01:30 EDT (earliest of the
  // autumn overlap); "bad" is null as strict is off.
  assert.deepEqual(values(out, "ny"), [
    utc("2024-03-10T06:30:00Z"),
    utc("2024-03-10T07:30:00Z"),
    null,
    null,
    utc("2024-11-03T05:30:00Z"),
  ]);
  assert.deepEqual(values(out, "ms")[0], BigInt(Date.parse("2024-03-10T01:30:00Z")));
  await failsAtRun(
    frame(),
    m("str.strptime", ts, [A.dtype(ny), fmt], {
      strict: A.bool(true),
      ambiguous: A.str("earliest"),
    }),
    /"bad"/,
  );
});

Deno.test("str.decode() gives Binary; str.jsonPathMatch() gives text", async () => {
  const df = pl.DataFrame([pl.Series("j", ['{"a": {"b": 2}}', null, '{"a": 1}'])]);
  const out = await select(
    df,
    named(
      m("str.decode", m("str.encode", col("j"), [A.str("base64")]), [A.str("base64")]),
      "raw",
    ),
    named(m("str.jsonPathMatch", col("j"), [A.str("$.a.b")]), "b"),
  );
  assert.match(typeOf(out, "raw"), /^(Large)?Binary$/);
  assert.deepEqual(values(out, "raw")[2], new TextEncoder().encode('{"a": 1}'));
  assert.deepEqual(values(out, "b"), ["2", null, null]);
});
