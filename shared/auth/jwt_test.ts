import assert from "node:assert/strict";
import * as jose from "jose";
import { jwtVerifier, MAX_TOKEN_CHARS } from "./jwt.ts";

const SECRET = new TextEncoder().encode("0123456789abcdef0123456789abcdef");
const claims = { tenant: "acme", roles: ["read"] };

function hs256(payload: jose.JWTPayload, expiresIn: string | number = "1h", key = SECRET) {
  return new jose.SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setSubject("alice")
    .setExpirationTime(expiresIn).sign(key);
}

Deno.test("an HS256 token with tenant and roles verifies", async () => {
  const verify = await jwtVerifier({ secret: SECRET });
  const got = await verify(await hs256(claims));
  assert.deepEqual(got, { subject: "alice", tenant: "acme", roles: new Set(["read"]) });
});

Deno.test("tokens that must not pass are refused with a reason", async () => {
  const verify = await jwtVerifier({ secret: SECRET, issuer: "polaroid", audience: "api" });
  const good = (p: jose.JWTPayload = claims, exp: string | number = "1h", key = SECRET) =>
    new jose.SignJWT(p).setProtectedHeader({ alg: "HS256" }).setIssuer("polaroid")
      .setAudience("api").setExpirationTime(exp).sign(key);
  assert.equal((await verify(await good())).tenant, "acme");
  const noExp = await new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256" })
    .setIssuer("polaroid").setAudience("api").sign(SECRET);
  const unsigned = new jose.UnsecuredJWT({ ...claims, iss: "polaroid", aud: "api" })
    .setExpirationTime("1h").encode();
  const otherKey = new TextEncoder().encode("another secret of thirty-two bytes!!");
  const cases: Array<[string, RegExp]> = [
    [await good(claims, Math.floor(Date.now() / 1000) - 60), /has expired/],
    [await hs256(claims), /'iss' claim/],
    [noExp, /'exp' claim/],
    [unsigned, /algorithm is not accepted/],
    [await good(claims, "1h", otherKey), /signature does not verify/],
    [await good({ roles: ["read"] }), /no 'tenant' claim/],
    [await good({ tenant: "../etc", roles: ["read"] }), /not a tenant name/],
    [await good({ tenant: "acme" }), /'roles' claim/],
    [await good({ tenant: "acme", roles: ["root"] }), /unknown role/],
    ["a.b.c", /malformed/],
    ["x".repeat(MAX_TOKEN_CHARS + 1), /longer than/],
  ];
  for (const [token, message] of cases) {
    await assert.rejects(verify(token), message, token.slice(0, 40));
  }
  const wrongAudience = await new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256" })
    .setIssuer("polaroid").setAudience("other").setExpirationTime("1h").sign(SECRET);
  await assert.rejects(verify(wrongAudience), /'aud' claim/);
});

Deno.test("a public key fixes the algorithm: EdDSA verifies, an HS256 token made with the PEM does not", async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair("EdDSA", { extractable: true });
  const pem = await jose.exportSPKI(publicKey);
  const verify = await jwtVerifier({ publicKeyPem: pem });
  const token = await new jose.SignJWT(claims).setProtectedHeader({ alg: "EdDSA" })
    .setExpirationTime("1h").sign(privateKey);
  assert.equal((await verify(token)).tenant, "acme");
  const confused = await hs256(claims, "1h", new TextEncoder().encode(pem));
  await assert.rejects(verify(confused), /algorithm/);
});

Deno.test("a JWKS verifies tokens of its keys only", async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: "k1", alg: "RS256" };
  const verify = await jwtVerifier({ jwks: JSON.stringify({ keys: [jwk] }) });
  const token = await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setExpirationTime("1h").sign(privateKey);
  assert.equal((await verify(token)).tenant, "acme");
  const other = await jose.generateKeyPair("RS256");
  const foreign = await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k2" })
    .setExpirationTime("1h").sign(other.privateKey);
  await assert.rejects(verify(foreign), /no key of the JWKS/);
});

Deno.test("unusable key settings are refused", async () => {
  await assert.rejects(jwtVerifier({}), /exactly one JWT key/);
  await assert.rejects(jwtVerifier({ secret: new Uint8Array(8) }), /at least 32 bytes/);
  await assert.rejects(jwtVerifier({ jwks: "{" }), /JWKS is not JSON/);
});
