import assert from "node:assert/strict";
import { Metadata } from "@grpc/grpc-js";
import * as jose from "jose";
import { PermissionDeniedError, UnauthenticatedError } from "../errors.ts";
import { ApiKeyStore, newApiKey } from "./api_keys.ts";
import {
  basicPassword,
  certificateAuthentication,
  FLIGHT_HANDSHAKE,
  noAuthentication,
  tokenAuthentication,
} from "./authenticator.ts";
import { jwtVerifier } from "./jwt.ts";

const UPLOAD = "/polaroid.v1.DataFrameService/Upload";
const COLLECT = "/polaroid.v1.DataFrameService/Collect";
const REGISTER = "/polaroid.v1.HandleService/RegisterHandle";

function metadata(headers: Record<string, string | string[]>): Metadata {
  const m = new Metadata();
  for (const [k, v] of Object.entries(headers)) for (const x of [v].flat()) m.add(k, x);
  return m;
}

const reader = newApiKey("acme", ["read"]);
const writer = newApiKey("acme", ["write"]);
const service = newApiKey("polaroid", ["service"]);
const SECRET = new TextEncoder().encode("0123456789abcdef0123456789abcdef");
const auth = tokenAuthentication({
  apiKeys: ApiKeyStore.parse(
    JSON.stringify([reader.record, writer.record, service.record]),
    "keys",
  ),
  jwt: await jwtVerifier({ secret: SECRET }),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

Deno.test("no, several or malformed credentials are UNAUTHENTICATED", async () => {
  for (
    const headers of [
      {} as Record<string, string | string[]>,
      { authorization: [`Bearer ${reader.key}`, `Bearer ${writer.key}`] },
      { authorization: reader.key },
      { authorization: `Basic ${btoa("a:b")}` },
      bearer("pk_aaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
      bearer("not.a.jwt"),
    ]
  ) {
    await assert.rejects(
      auth.authorize(COLLECT, metadata(headers)),
      UnauthenticatedError,
      JSON.stringify(headers),
    );
  }
});

Deno.test("Flight's Handshake takes basic authentication, its password the key; no other call does", async () => {
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${btoa(`${user}:${password}`)}`,
  });
  const identity = await auth.authorize(FLIGHT_HANDSHAKE, metadata(basic("anyone", reader.key)));
  assert.equal(identity.tenant, "acme");
  assert.equal(basicPassword(basic("u", reader.key).authorization), reader.key);
  assert.equal(basicPassword("Basic !!!"), undefined);
  assert.equal(basicPassword(`Basic ${btoa("no-colon")}`), undefined);
  await assert.rejects(
    auth.authorize(COLLECT, metadata(basic("anyone", reader.key))),
    UnauthenticatedError,
  );
  await assert.rejects(
    auth.authorize(FLIGHT_HANDSHAKE, metadata(basic("anyone", "wrong"))),
    UnauthenticatedError,
  );
});

Deno.test("the tenant is the credential's; a role missing is PERMISSION_DENIED", async () => {
  assert.equal((await auth.authorize(COLLECT, metadata(bearer(reader.key)))).tenant, "acme");
  await assert.rejects(
    auth.authorize(UPLOAD, metadata(bearer(reader.key))),
    (e) => e instanceof PermissionDeniedError && /needs the role write/.test(e.message),
  );
  assert.equal(
    (await auth.authorize(UPLOAD, metadata(bearer(writer.key)))).subject,
    `key:${writer.record.id}`,
  );
  await assert.rejects(
    auth.authorize(REGISTER, metadata(bearer(writer.key))),
    PermissionDeniedError,
  );
  await assert.rejects(
    auth.authorize("/polaroid.v1.Unknown/Method", metadata(bearer(writer.key))),
    PermissionDeniedError,
  );
});

Deno.test("naming another tenant is refused unless the caller is a service", async () => {
  const ownName = { ...bearer(writer.key), "x-polaroid-tenant": "acme" };
  assert.equal((await auth.authorize(COLLECT, metadata(ownName))).tenant, "acme");
  const other = { ...bearer(writer.key), "x-polaroid-tenant": "globex" };
  await assert.rejects(auth.authorize(COLLECT, metadata(other)), /Cannot act for tenant "globex"/);
  const forCaller = { ...bearer(service.key), "x-polaroid-tenant": "globex" };
  const identity = await auth.authorize(REGISTER, metadata(forCaller));
  assert.equal(identity.tenant, "globex");
  const bad = { ...bearer(service.key), "x-polaroid-tenant": "Not A Tenant" };
  await assert.rejects(auth.authorize(REGISTER, metadata(bad)), /must match/);
});

Deno.test("a JWT is the other kind of bearer credential", async () => {
  const token = await new jose.SignJWT({ tenant: "globex", roles: ["admin"] })
    .setProtectedHeader({ alg: "HS256" }).setSubject("bob").setExpirationTime("5m").sign(SECRET);
  const identity = await auth.authorize(UPLOAD, metadata(bearer(token)));
  assert.deepEqual([identity.tenant, identity.subject, identity.via], ["globex", "bob", "jwt"]);
  const keysOnly = tokenAuthentication({
    apiKeys: ApiKeyStore.parse(JSON.stringify([reader.record]), "keys"),
  });
  await assert.rejects(keysOnly.authorize(COLLECT, metadata(bearer(token))), /API keys only/);
});

Deno.test("without authentication the tenant header names the tenant, checked", async () => {
  const none = noAuthentication();
  assert.equal((await none.authorize(UPLOAD, metadata({}))).tenant, "default");
  assert.equal(
    (await none.authorize(UPLOAD, metadata({ "x-polaroid-tenant": "acme" }))).tenant,
    "acme",
  );
  await assert.rejects(
    none.authorize(UPLOAD, metadata({ "x-polaroid-tenant": "../x" })),
    /must match/,
  );
});

Deno.test("mTLS: the certificate's CN is the tenant and its OUs the roles", async () => {
  const mtls = certificateAuthentication();
  const peer = { cn: "acme", ou: ["read"] };
  const identity = await mtls.authorize(COLLECT, metadata({}), peer);
  assert.deepEqual([identity.tenant, identity.via, identity.subject], [
    "acme",
    "certificate",
    "cert:acme/read",
  ]);
  await assert.rejects(mtls.authorize(UPLOAD, metadata({}), peer), PermissionDeniedError);
  await assert.rejects(mtls.authorize(COLLECT, metadata({})), /presented no client certificate/);
  await assert.rejects(
    mtls.authorize(COLLECT, metadata({}), { cn: "Not A Tenant", ou: ["read"] }),
    /CN is not a tenant name/,
  );
  await assert.rejects(
    mtls.authorize(COLLECT, metadata({}), { cn: "acme", ou: [] }),
    UnauthenticatedError,
  );
  const service = { cn: "polaroid", ou: ["service"] };
  const forCaller = await mtls.authorize(
    REGISTER,
    metadata({ "x-polaroid-tenant": "acme" }),
    service,
  );
  assert.equal(forCaller.tenant, "acme");
  await assert.rejects(
    mtls.authorize(COLLECT, metadata({ "x-polaroid-tenant": "globex" }), peer),
    /Cannot act for tenant "globex"/,
  );
});
