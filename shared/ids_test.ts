import assert from "node:assert/strict";
import { InvalidArgumentError } from "./errors.ts";
import { newHandleId, parseHandleId, validateTenant } from "./ids.ts";

Deno.test("newHandleId() builds ids that parseHandleId() accepts, with the tenant", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const id = newHandleId("acme-1");
    assert.equal(parseHandleId(id).tenant, "acme-1");
    seen.add(id);
  }
  assert.equal(seen.size, 200);
});

Deno.test("parseHandleId() rejects path tricks and foreign characters", () => {
  for (const bad of ["", "../etc/passwd", "acme.ABC", "acme/x.aaaaaaaaaaaaaaaaaaaaaaaaaa", "a.b"]) {
    assert.throws(() => parseHandleId(bad), InvalidArgumentError);
  }
});

Deno.test("validateTenant() rejects upper case, dots and over-long names", () => {
  for (const bad of ["Acme", "a.b", "", "-x", "x".repeat(33)]) {
    assert.throws(() => validateTenant(bad), InvalidArgumentError);
  }
  assert.equal(validateTenant("default"), "default");
});
