import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  ColumnNotFoundError,
  HandleNotFoundError,
  InternalError,
  LimitExceededError,
  NotFoundError,
  QueryError,
} from "../../../shared/errors.ts";
import { engineMessage, fromEngineError, missingColumn } from "./errors.ts";

function polarsError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  assert.fail("expected the engine to throw");
}

const df = pl.DataFrame({ a: [1], b: ["x"] });

Deno.test("fromEngineError() maps unknown columns to ColumnNotFoundError with the name", () => {
  const raw = polarsError(() => df.lazy().select(pl.col("missing col")).collectSync());
  const error = fromEngineError(raw);
  assert.ok(error instanceof ColumnNotFoundError);
  assert.match(error.message, /"missing col"/);
  assert.doesNotMatch(error.message, /Resolved plan until failure/);
  assert.equal(error.metadata.column, "missing col");
  assert.equal(error.cause, raw);
  const dropped = fromEngineError(polarsError(() => df.lazy().drop("zz").collectSync()));
  assert.ok(dropped instanceof ColumnNotFoundError);
  assert.equal(dropped.metadata.column, "zz");
});

Deno.test("fromEngineError() maps other engine errors to QueryError with their message", () => {
  const raw = polarsError(() => df.lazy().select(pl.col("a").add(pl.col("b"))).collectSync());
  const error = fromEngineError(raw);
  assert.ok(error instanceof QueryError);
  assert.equal(
    error.message,
    "arithmetic on string and numeric not allowed, try an explicit cast first",
  );
  const panic = fromEngineError(
    polarsError(() => df.lazy().select(pl.col("a").cast(pl.Decimal(0, 0))).collectSync()),
  );
  assert.ok(panic instanceof QueryError);
  assert.doesNotMatch(panic.message, /backtrace/);
});

Deno.test("fromEngineError() keeps PolaroidErrors and maps the rest by kind", () => {
  const handle = new HandleNotFoundError("gone");
  assert.equal(fromEngineError(handle), handle);
  assert.ok(
    fromEngineError(new Error("No such file or directory (os error 2): /srv/x")) instanceof
      NotFoundError,
  );
  assert.doesNotMatch(
    fromEngineError(new Error("No such file or directory: /srv/x")).message,
    /srv/,
  );
  assert.ok(
    fromEngineError(new RangeError("Maximum call stack size exceeded")) instanceof
      LimitExceededError,
  );
  assert.ok(fromEngineError(new TypeError("x is not a function")) instanceof InternalError);
  assert.ok(fromEngineError("a string") instanceof QueryError);
});

Deno.test("engineMessage() trims plan dumps and caps the length", () => {
  assert.equal(engineMessage("bad thing\n\nResolved plan until failure:\n\nDF [...]"), "bad thing");
  assert.equal(engineMessage("boom\nstack backtrace:\n  0: x"), "boom");
  assert.equal(engineMessage("x".repeat(5000)).length, 2001);
  assert.equal(engineMessage(""), "the engine failed without a message");
});

Deno.test("missingColumn() finds the column in each Polars phrasing", () => {
  assert.equal(
    missingColumn('not found: unable to find column "a b"; valid columns: ["x"]'),
    "a b",
  );
  assert.equal(missingColumn('not found: "zz" not found'), "zz");
  assert.equal(missingColumn("not found: zz"), "zz");
  assert.equal(missingColumn("something else"), undefined);
});
