import assert from "node:assert/strict";
import { InvalidPlanError } from "../../../shared/errors.ts";
import { isZero, parseDuration, shortestSpan } from "./plan_duration.ts";

Deno.test("parseDuration() reads Polars' duration language", () => {
  assert.deepEqual(parseDuration("3d12h4m25s", "f"), {
    negative: false,
    months: 0,
    nanos: ((3 * 24 + 12) * 3600 + 4 * 60 + 25) * 1e9,
    index: 0,
  });
  assert.deepEqual(parseDuration("-1y2q1mo", "f"), {
    negative: true,
    months: 19,
    nanos: 0,
    index: 0,
  });
  assert.deepEqual(parseDuration("10i", "f").index, 10);
  assert.equal(parseDuration("1w1ms1us1ns", "f").nanos, 604_800e9 + 1e6 + 1e3 + 1);
  assert.ok(isZero(parseDuration("0ns", "f")));
});

Deno.test("parseDuration() refuses what is not a duration, naming the field", () => {
  for (const text of ["", "-", "5", "m", "1.5h", "1h ", "1mon", "1i1h", "x".repeat(101)]) {
    assert.throws(
      () => parseDuration(text, "group_by_dynamic.every"),
      (e) => e instanceof InvalidPlanError && /'group_by_dynamic.every'/.test(e.message),
      text,
    );
  }
});

Deno.test("shortestSpan() is in column units, months as 28 days, integers in index counts", () => {
  assert.equal(shortestSpan(parseDuration("1h", "f"), 1e3), 3_600_000_000);
  assert.equal(shortestSpan(parseDuration("1mo", "f"), 86_400e9), 28);
  assert.equal(shortestSpan(parseDuration("-2d", "f"), 86_400e9), 2);
  assert.equal(shortestSpan(parseDuration("5i", "f"), undefined), 5);
  assert.equal(shortestSpan(parseDuration("5h", "f"), undefined), 1);
  assert.equal(shortestSpan(parseDuration("5i", "f"), 1e3), 1);
});
