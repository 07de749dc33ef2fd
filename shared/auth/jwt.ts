/**
 * JSON Web Tokens, verified with `jose`: HS256 with a shared secret, or RS256/ES256/EdDSA with a
 * public key (PEM) or a JWKS file. A token must carry `exp`, a `tenant` claim (a tenant name)
 * and a `roles` claim (a list of roles.ts roles); `iss` and `aud` are checked when configured.
 * The algorithm is fixed by the key, never taken from the token (no `none`, no HS256 with a
 * public key as its secret).
 *
 * @module
 */

import { createPublicKey } from "node:crypto";
import * as jose from "jose";
import { validateTenant } from "../ids.ts";
import { parseRoles, type Role } from "./roles.ts";

/** Longest token accepted, before any decoding. */
export const MAX_TOKEN_CHARS = 8192;

/** Where the verification keys come from (one of them). */
export interface JwtKeys {
  /** Shared secret for HS256 (at least 32 bytes). */
  secret?: Uint8Array;
  /** A public key in PEM (SPKI): RSA → RS256, EC P-256 → ES256, Ed25519 → EdDSA. */
  publicKeyPem?: string;
  /** A JSON Web Key Set (the text of a JWKS file). */
  jwks?: string;
  issuer?: string;
  audience?: string;
}

/** What a verified token says. */
export interface TokenClaims {
  subject: string;
  tenant: string;
  roles: Set<Role>;
}

/** Verifies a token; rejects with a message fit for the caller (no key material). */
export type JwtVerifier = (token: string) => Promise<TokenClaims>;

/** The algorithm of a PEM public key. */
function algorithmOf(pem: string): string {
  const key = createPublicKey(pem);
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RS256";
    case "ed25519":
      return "EdDSA";
    case "ec":
      if (key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
      break;
  }
  throw new TypeError(
    `the JWT public key is a ${key.asymmetricKeyType} key: RSA, EC P-256 or Ed25519 are taken`,
  );
}

/** A verifier for the configured keys; throws TypeError for unusable ones. */
export async function jwtVerifier(keys: JwtKeys): Promise<JwtVerifier> {
  const given = [keys.secret, keys.publicKeyPem, keys.jwks].filter((k) => k !== undefined);
  if (given.length !== 1) {
    throw new TypeError("exactly one JWT key is needed: a secret, a public key or a JWKS");
  }
  let verify: (token: string, options: jose.JWTVerifyOptions) => Promise<jose.JWTVerifyResult>;
  if (keys.secret) {
    if (keys.secret.length < 32) throw new TypeError("the JWT secret must be at least 32 bytes");
    const secret = keys.secret;
    verify = (token, options) =>
      jose.jwtVerify(token, secret, { ...options, algorithms: ["HS256"] });
  } else if (keys.publicKeyPem) {
    const alg = algorithmOf(keys.publicKeyPem);
    const key = await jose.importSPKI(keys.publicKeyPem, alg);
    verify = (token, options) => jose.jwtVerify(token, key, { ...options, algorithms: [alg] });
  } else {
    let set: jose.JSONWebKeySet;
    try {
      set = JSON.parse(keys.jwks!);
    } catch (error) {
      throw new TypeError(`the JWKS is not JSON: ${(error as Error).message}`);
    }
    const jwks = jose.createLocalJWKSet(set);
    verify = (token, options) =>
      jose.jwtVerify(token, jwks, { ...options, algorithms: ["RS256", "ES256", "EdDSA"] });
  }
  const options: jose.JWTVerifyOptions = {
    requiredClaims: ["exp"],
    clockTolerance: 5,
    ...(keys.issuer ? { issuer: keys.issuer } : {}),
    ...(keys.audience ? { audience: keys.audience } : {}),
  };
  return async (token) => {
    if (token.length > MAX_TOKEN_CHARS) {
      throw new TypeError(`the token is longer than ${MAX_TOKEN_CHARS} characters`);
    }
    let payload: jose.JWTPayload;
    try {
      payload = (await verify(token, options)).payload;
    } catch (error) {
      throw new TypeError(reasonOf(error));
    }
    if (typeof payload.tenant !== "string") throw new TypeError("the token has no 'tenant' claim");
    try {
      validateTenant(payload.tenant);
    } catch {
      throw new TypeError("the token's 'tenant' claim is not a tenant name");
    }
    let roles: Set<Role>;
    try {
      roles = parseRoles(payload.roles, "the token's 'roles' claim");
    } catch (error) {
      throw new TypeError((error as Error).message);
    }
    return { subject: String(payload.sub ?? "token"), tenant: payload.tenant, roles };
  };
}

/** Why jose refused a token, in words that leak nothing of the key. */
function reasonOf(error: unknown): string {
  if (error instanceof jose.errors.JWTExpired) return "the token has expired";
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    return `the token's '${error.claim}' claim is not accepted (${error.reason})`;
  }
  if (error instanceof jose.errors.JOSEAlgNotAllowed) {
    return "the token's algorithm is not accepted";
  }
  if (error instanceof jose.errors.JWSSignatureVerificationFailed) {
    return "the token's signature does not verify";
  }
  if (error instanceof jose.errors.JWKSNoMatchingKey) return "no key of the JWKS matches the token";
  return "the token is malformed";
}
