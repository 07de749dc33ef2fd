import assert from "node:assert/strict";
import { parseDuration } from "./datetime_duration.ts";

Deno.test("parseDuration() reads calendar and fixed parts with one sign", () => {
  assert.deepEqual(parseDuration("1d"), { months: 0, weeks: 0, days: 1, nanos: 0n });
  assert.deepEqual(parseDuration("-2h30m"), {
    months: 0,
    weeks: 0,
    days: 0,
    nanos: -(2n * 3_600_000_000_000n + 30n * 60_000_000_000n),
  });
  assert.deepEqual(parseDuration("1y2q3mo"), { months: 12 + 6 + 3, weeks: 0, days: 0, nanos: 0n });
  assert.deepEqual(parseDuration("1w5ms7us9ns"), {
    months: 0,
    weeks: 1,
    days: 0,
    nanos: 5_000_000n + 7_000n + 9n,
  });
  assert.deepEqual(parseDuration("90s"), { months: 0, weeks: 0, days: 0, nanos: 90_000_000_000n });
});

Deno.test("parseDuration() says why text is not a duration", () => {
  for (const text of ["", "-", "d", "1", "1x", "1d-2h", "1.5h", " 1d", "1i", "x".repeat(65)]) {
    assert.equal(typeof parseDuration(text), "string", text);
  }
});
