import assert from "node:assert/strict";
import { InvalidArgumentError } from "./errors.ts";
import {
  handleIdFor,
  newHandleId,
  parseHandleId,
  validateRequestId,
  validateTenant,
} from "./ids.ts";

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

Deno.test("handleIdFor() names one handle per tenant and request id, in the usual form", () => {
  const request = crypto.randomUUID();
  const id = handleIdFor("acme", request);
  assert.equal(handleIdFor("acme", request), id, "the same register, the same id");
  assert.equal(parseHandleId(id).tenant, "acme");
  assert.notEqual(handleIdFor("acme", crypto.randomUUID()), id);
  assert.notEqual(handleIdFor("other", request).split(".")[1], id.split(".")[1]);
});

Deno.test("validateRequestId() takes 16 to 64 characters of [A-Za-z0-9_-] only", () => {
  assert.equal(validateRequestId("0123456789abcdef"), "0123456789abcdef");
  for (const bad of ["", "short", "x".repeat(65), "0123456789abcdef/", "0123456789 abcdef"]) {
    assert.throws(() => validateRequestId(bad), InvalidArgumentError, JSON.stringify(bad));
  }
});
