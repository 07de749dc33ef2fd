import assert from "node:assert/strict";
import { bulkOptions } from "./bulk_options.ts";

Deno.test("bulkOptions() is on by default, with the client's credentials and bounds", () => {
  const make = bulkOptions({ token: "pk_x", tenant: "acme", connectTimeoutMs: 700 }, undefined);
  const options = make!();
  assert.deepEqual(options.credentials, { token: "pk_x", tenant: "acme" });
  assert.equal(options.openTimeoutMs, 700);
  assert.equal(options.maxMessageBytes, 64 * 1024 * 1024);
  assert.equal(bulkOptions({ connectTimeoutMs: 0 }, true)!().openTimeoutMs, 5000);
});

Deno.test("bulkOptions() is off with false or client certificates, and refuses true with them", () => {
  assert.equal(bulkOptions({}, false), undefined);
  const tls = { cert: "CERT", key: "KEY" };
  assert.equal(bulkOptions({ tls }, undefined), undefined);
  assert.throws(() => bulkOptions({ tls }, true), /'bulk' does not go with client certificates/);
  assert.throws(() => bulkOptions({}, "yes"), /'bulk' must be a boolean/);
});
