import assert from "node:assert/strict";
import { authConfig, isLoopback } from "./config_auth.ts";
import { ConfigError } from "./config_env.ts";

Deno.test("without authentication a server binds loopback only", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) {
    assert.ok(isLoopback(host), host);
    assert.equal(authConfig({}, host).mode, "none");
  }
  for (const host of ["0.0.0.0", "::", "10.0.0.5", "example.com"]) {
    assert.throws(() => authConfig({}, host), /POLAROID_AUTH=none would let anyone/, host);
  }
});

Deno.test("token authentication needs keys; the settings are checked", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const keys = `${dir}/keys.json`;
    Deno.writeTextFileSync(keys, "[]");
    const secretFile = `${dir}/secret`;
    Deno.writeTextFileSync(secretFile, "s".repeat(40) + "\n");
    const token = { POLAROID_AUTH: "token" };
    assert.throws(
      () => authConfig(token, "0.0.0.0"),
      /needs API keys \(POLAROID_AUTH_API_KEYS_FILE\)/,
    );
    assert.equal(
      authConfig({ ...token, POLAROID_AUTH_API_KEYS_FILE: keys }, "0.0.0.0").apiKeys,
      "[]",
    );
    const fromFile = authConfig({ ...token, POLAROID_AUTH_JWT_SECRET_FILE: secretFile }, "::");
    assert.equal(new TextDecoder().decode(fromFile.jwt?.secret), "s".repeat(40));
    assert.throws(
      () =>
        authConfig({
          ...token,
          POLAROID_AUTH_JWT_SECRET: "s".repeat(40),
          POLAROID_AUTH_JWT_SECRET_FILE: secretFile,
        }, "::"),
      /both 'POLAROID_AUTH_JWT_SECRET' and 'POLAROID_AUTH_JWT_SECRET_FILE'/,
    );
    assert.throws(
      () => authConfig({ ...token, POLAROID_AUTH_JWT_SECRET: "short" }, "::"),
      /at least 32 bytes/,
    );
    assert.throws(
      () =>
        authConfig({
          ...token,
          POLAROID_AUTH_JWT_SECRET: "s".repeat(40),
          POLAROID_AUTH_JWKS_FILE: keys,
        }, "::"),
      /more than one of/,
    );
    assert.throws(
      () => authConfig({ ...token, POLAROID_AUTH_API_KEYS_FILE: `${dir}/missing` }, "::"),
      (e) =>
        e instanceof ConfigError &&
        /POLAROID_AUTH_API_KEYS_FILE' names cannot be read/.test(e.message),
    );
    assert.equal(authConfig({ POLAROID_AUTH: "mtls" }, "::").mode, "mtls");
    assert.throws(() => authConfig({ POLAROID_AUTH: "basic" }, "::"), /one of none, token, mtls/);
    const withService = authConfig({ POLAROID_SERVICE_TOKEN: "pk_x" }, "127.0.0.1");
    assert.equal(withService.serviceToken, "pk_x");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a secret never appears in a config error", () => {
  const secret = "s3cr3t-value-that-must-not-leak";
  try {
    authConfig({ POLAROID_AUTH: "token", POLAROID_AUTH_JWT_SECRET: secret }, "::");
    assert.fail("a short secret was taken");
  } catch (error) {
    assert.ok(!(error as Error).message.includes(secret));
  }
});

Deno.test("mTLS needs the client CA and the server's own certificate", async () => {
  const { loadComputeConfig } = await import("./config.ts");
  assert.throws(
    () => loadComputeConfig({ POLAROID_AUTH: "mtls" }),
    /POLAROID_AUTH=mtls needs POLAROID_TLS_CLIENT_CA_FILE/,
  );
});
