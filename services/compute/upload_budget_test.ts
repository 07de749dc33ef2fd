import assert from "node:assert/strict";
import { LimitExceededError } from "../../shared/errors.ts";
import { UploadBudget } from "./upload_budget.ts";

Deno.test("UploadBudget bounds the bytes of every upload in progress together", () => {
  const budget = new UploadBudget(100);
  const a = budget.lease();
  const b = budget.lease();
  a.take(60);
  b.take(30);
  assert.throws(() => b.take(20), (e: unknown) => {
    assert.ok(e instanceof LimitExceededError);
    assert.match(
      e.message,
      /hold 90 bytes of the 100 they may \(POLAROID_MAX_UPLOAD_BUFFER_BYTES\)/,
    );
    assert.equal(e.metadata.retryable, "true");
    return true;
  });
  a.release();
  a.release();
  assert.equal(budget.held, 30);
  b.take(70);
  b.release();
  assert.equal(budget.held, 0);
  assert.throws(() => b.take(1), RangeError);
});
