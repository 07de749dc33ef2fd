import assert from "node:assert/strict";
import { InvalidArgumentError } from "./errors.ts";
import {
  handleIdFor,
  newHandleId,
  newIncarnation,
  parseHandleId,
  validateIncarnation,
  validateRequestId,
  validateTenant,
  validateWorkerId,
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

Deno.test("validateWorkerId() takes KV-key-safe ids and rejects the rest", () => {
  for (const good of ["compute", "compute-2", "compute-4711", "host_1.pod-7", "A.b.C"]) {
    assert.equal(validateWorkerId(good), good);
  }
  for (const bad of ["", ".a", "a.", "a..b", "a b", "a/b", "a*", "a>", "x".repeat(129)]) {
    assert.throws(() => validateWorkerId(bad), InvalidArgumentError, JSON.stringify(bad));
  }
});

Deno.test("newIncarnation() makes distinct ids that validateIncarnation() accepts", () => {
  const a = newIncarnation();
  assert.equal(validateIncarnation(a), a);
  assert.notEqual(newIncarnation(), a);
  for (const bad of ["", "x", a.toUpperCase(), `${a}0`, "00000000-0000-0000-0000-00000000000g"]) {
    assert.throws(() => validateIncarnation(bad), InvalidArgumentError, JSON.stringify(bad));
  }
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
