import assert from "node:assert/strict";
import { InvalidArgumentError } from "../../shared/errors.ts";
import { MAX_METADATA_BYTES, MAX_METADATA_ENTRIES, validateHandleMetadata } from "./metadata.ts";

Deno.test("validateHandleMetadata() keeps dotted lower-case keys and any values", () => {
  const metadata = validateHandleMetadata({ "polaroid.timeseries": '{"index":"ts"}', a: "" });
  assert.deepEqual(metadata, { "polaroid.timeseries": '{"index":"ts"}', a: "" });
  assert.ok(Object.isFrozen(metadata));
});

Deno.test("validateHandleMetadata() refuses bad keys, too many entries, too many bytes", () => {
  for (const key of ["", "Upper", "a..b", "a b", "x".repeat(129)]) {
    assert.throws(() => validateHandleMetadata({ [key]: "v" }), InvalidArgumentError, key);
  }
  const many = Object.fromEntries(
    Array.from({ length: MAX_METADATA_ENTRIES + 1 }, (_, i) => [`k${i}`, "v"]),
  );
  assert.throws(() => validateHandleMetadata(many), /at most 16 entries: current value has 17/);
  assert.throws(
    () => validateHandleMetadata({ big: "é".repeat(MAX_METADATA_BYTES / 2) }),
    /at most 65536 bytes: current value is 65539 bytes/,
  );
});
