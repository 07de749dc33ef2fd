import assert from "node:assert/strict";
import * as shared from "../shared/errors.ts";
import pl, * as sdk from "./mod.ts";

Deno.test("mod.ts re-exports the error classes of shared/errors.ts themselves", () => {
  const names = [
    "PolaroidError",
    "InvalidArgumentError",
    "ColumnNotFoundError",
    "InvalidPlanError",
    "QueryError",
    "InvalidArrowError",
    "NotFoundError",
    "HandleNotFoundError",
    "HandleLostError",
    "AlreadyExistsError",
    "LimitExceededError",
    "UnauthenticatedError",
    "PermissionDeniedError",
    "FailedPreconditionError",
    "UnavailableError",
    "CancelledError",
    "DeadlineExceededError",
    "UnimplementedError",
    "InternalError",
  ] as const;
  for (const name of names) {
    assert.equal(sdk[name], shared[name], name);
  }
  const error = shared.errorFromStatus(5, "gone", "HANDLE_NOT_FOUND");
  assert.ok(error instanceof sdk.HandleNotFoundError);
  assert.ok(error instanceof sdk.NotFoundError);
  assert.ok(error instanceof sdk.PolaroidError);
  const lost = shared.errorFromStatus(15, "gone", "HANDLE_LOST");
  assert.ok(lost instanceof sdk.HandleLostError);
  assert.ok(shared.errorFromStatus(15, "gone") instanceof sdk.HandleLostError);
});

Deno.test("the default export reads like nodejs-polars' pl", () => {
  assert.deepEqual(pl.col("a").gt(1).toProto(), sdk.col("a").gt(1).toProto());
  assert.deepEqual(pl.lit(1n).toProto(), sdk.lit(1n).toProto());
  assert.deepEqual(pl.len().toProto(), sdk.len().toProto());
  assert.deepEqual(
    pl.when(pl.col("a")).then(1).otherwise(0).toProto(),
    sdk.when(sdk.col("a")).then(1).otherwise(0).toProto(),
  );
  assert.ok(pl.Int64.equals(sdk.DataType.Int64));
  assert.ok(pl.Utf8.equals(pl.String));
  assert.ok(pl.Datetime("us", "UTC").equals(sdk.DataType.Datetime("us", "UTC")));
  assert.ok(pl.List(pl.Float64).equals(sdk.DataType.List(sdk.DataType.Float64)));
  assert.equal(typeof sdk.connect, "function");
  assert.equal(typeof sdk.connectIngest, "function");
});
