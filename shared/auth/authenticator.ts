/**
 * Who is calling: each call's credentials (`authorization: Bearer <JWT or API key>`) verified
 * into an {@link Identity}, then checked against the role its method needs (roles.ts). The
 * tenant a call acts for comes from that identity only; `x-polaroid-tenant` may repeat it, and
 * only a service may name another (acting for the caller it serves).
 *
 * With `POLAROID_AUTH=none` (loopback binds only, config.ts) no credentials are asked for and
 * the tenant is whatever `x-polaroid-tenant` says: the single-user local cluster.
 *
 * @module
 */

import type { Metadata } from "@grpc/grpc-js";
import { PermissionDeniedError, UnauthenticatedError } from "../errors.ts";
import { DEFAULT_TENANT, validateTenant } from "../ids.ts";
import { TENANT_METADATA_KEY } from "../grpc/types.ts";
import type { AuthConfig } from "../config_auth.ts";
import { ApiKeyStore, looksLikeApiKey } from "./api_keys.ts";
import { type JwtVerifier, jwtVerifier } from "./jwt.ts";
import { grants, METHOD_ROLES, parseRoles, type Role, ROLES } from "./roles.ts";
import type { Identity } from "./identity.ts";

export type { Identity };
import type { PeerSubject } from "../grpc/connections.ts";

/** The metadata key that carries credentials. */
export const AUTHORIZATION_METADATA_KEY = "authorization";

/** Checks a call's credentials and what they allow. */
export interface Authenticator {
  readonly mode: "none" | "token" | "mtls";
  /**
   * The identity a call to `method` acts as; rejects with UnauthenticatedError (no or bad
   * credentials) or PermissionDeniedError (a role missing, another tenant named). `peer` is
   * the verified client certificate of the call's connection, if any.
   */
  authorize(method: string, metadata: Metadata, peer?: PeerSubject): Promise<Identity>;
}

function headerTenant(metadata: Metadata): string | undefined {
  const raw = metadata.get(TENANT_METADATA_KEY)[0];
  return typeof raw === "string" ? raw : undefined;
}

function nameOf(method: string): string {
  return method.slice(method.lastIndexOf("/") + 1);
}

/** The outcome of a check that needs no waiting, as the promise authorize() returns. */
function settled(check: () => Identity): Promise<Identity> {
  try {
    return Promise.resolve(check());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** No credentials: every caller may do anything, as the tenant it names. */
export function noAuthentication(): Authenticator {
  const all = new Set(ROLES);
  return {
    mode: "none",
    authorize: (_method, metadata) =>
      settled(() => ({
        tenant: validateTenant(headerTenant(metadata) ?? DEFAULT_TENANT),
        roles: all,
        subject: "anonymous",
        via: "none",
      })),
  };
}

/**
 * Arrow Flight's Handshake: Flight clients' basic authentication sends
 * `authorization: Basic base64(user:password)` there and uses the bearer token the answer
 * carries from then on. Polaroid reads the password as the token or API key (the user name is
 * not used) and answers with it (docs/flight.md).
 */
export const FLIGHT_HANDSHAKE = "/arrow.flight.protocol.FlightService/Handshake";

/** The credential of `Bearer <credential>`, or undefined. */
function bearerCredential(header: string): string | undefined {
  return /^Bearer ([\x21-\x7e]+)$/.exec(header)?.[1];
}

/** The password of `Basic base64(user:password)`, or undefined. */
export function basicPassword(header: string): string | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(header);
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]!);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  return /^[\x21-\x7e]+$/.test(password) ? password : undefined;
}

/** Bearer credentials: API keys and JWTs (either may be absent, not both). */
export function tokenAuthentication(
  options: { apiKeys?: ApiKeyStore; jwt?: JwtVerifier },
): Authenticator {
  if (!options.apiKeys && !options.jwt) {
    throw new TypeError("token authentication needs API keys, a JWT key, or both");
  }
  const verify = async (method: string, metadata: Metadata): Promise<Identity> => {
    const values = metadata.get(AUTHORIZATION_METADATA_KEY);
    const header = values[0];
    if (values.length !== 1 || typeof header !== "string") {
      throw new UnauthenticatedError(
        `Cannot call ${nameOf(method)} as the call carries ${
          values.length === 0 ? "no" : "more than one"
        } credential: send one 'authorization: Bearer <token or API key>' header`,
      );
    }
    const credential = bearerCredential(header) ??
      (method === FLIGHT_HANDSHAKE ? basicPassword(header) : undefined);
    if (credential === undefined) {
      throw new UnauthenticatedError(
        `Cannot call ${
          nameOf(method)
        } as its 'authorization' header is not 'Bearer <token or API key>'`,
      );
    }
    if (looksLikeApiKey(credential)) {
      const record = options.apiKeys?.verify(credential);
      if (!record) {
        throw new UnauthenticatedError(`Cannot call ${nameOf(method)} as the API key is not valid`);
      }
      return {
        tenant: record.tenant,
        roles: record.roles,
        subject: `key:${record.id}`,
        via: "api_key",
      };
    }
    if (!options.jwt) {
      throw new UnauthenticatedError(
        `Cannot call ${
          nameOf(method)
        } as the server takes API keys only (no JWT key is configured)`,
      );
    }
    try {
      const claims = await options.jwt(credential);
      return { tenant: claims.tenant, roles: claims.roles, subject: claims.subject, via: "jwt" };
    } catch (error) {
      throw new UnauthenticatedError(
        `Cannot call ${nameOf(method)} as ${(error as Error).message}`,
      );
    }
  };
  return {
    mode: "token",
    async authorize(method, metadata) {
      return permitted(method, metadata, await verify(method, metadata));
    },
  };
}

/**
 * Client certificates (mTLS): the connection's certificate, whose issuer connections.ts checked
 * against the client CAs when the connection was made, names the tenant in its subject's CN and
 * the roles in its OUs.
 */
export function certificateAuthentication(): Authenticator {
  return {
    mode: "mtls",
    authorize: (method, metadata, peer) =>
      settled(() => permitted(method, metadata, certificateIdentity(method, peer))),
  };
}

function certificateIdentity(method: string, peer: PeerSubject | undefined): Identity {
  if (peer === undefined) {
    throw new UnauthenticatedError(
      `Cannot call ${nameOf(method)} as its connection presented no client certificate`,
    );
  }
  try {
    validateTenant(peer.cn);
  } catch {
    throw new UnauthenticatedError(
      `Cannot call ${nameOf(method)} as the client certificate's CN is not a tenant name`,
    );
  }
  let roles: Set<Role>;
  try {
    roles = parseRoles(peer.ou, "the client certificate's OU");
  } catch (error) {
    throw new UnauthenticatedError(`Cannot call ${nameOf(method)} as ${(error as Error).message}`);
  }
  return {
    tenant: peer.cn,
    roles,
    subject: `cert:${peer.cn}/${peer.ou.join("+")}`,
    via: "certificate",
  };
}

/** Checks a verified identity's role for `method` and the tenant the call names. */
function permitted(method: string, metadata: Metadata, identity: Identity): Identity {
  const needed = METHOD_ROLES[method];
  if (needed === undefined || !grants(identity.roles, needed)) {
    throw new PermissionDeniedError(
      `Cannot call ${nameOf(method)} as it needs the role ${
        needed ?? "(none granted)"
      }: the caller holds ${[...identity.roles].join(", ")}`,
    );
  }
  const named = headerTenant(metadata);
  if (named === undefined || named === identity.tenant) return identity;
  if (!grants(identity.roles, "service")) {
    throw new PermissionDeniedError(
      `Cannot act for tenant ${
        JSON.stringify(named.slice(0, 32))
      } as the caller is tenant ${identity.tenant}: leave out '${TENANT_METADATA_KEY}' or name your own`,
    );
  }
  validateTenant(named);
  return { ...identity, tenant: named };
}

/** The authenticator the configuration asks for; throws TypeError for unusable keys. */
export async function authenticatorFor(config: AuthConfig): Promise<Authenticator> {
  if (config.mode === "none") return noAuthentication();
  if (config.mode === "mtls") return certificateAuthentication();
  const apiKeys = config.apiKeys === undefined
    ? undefined
    : ApiKeyStore.parse(config.apiKeys, "POLAROID_AUTH_API_KEYS");
  const jwt = config.jwt === undefined ? undefined : await jwtVerifier(config.jwt);
  return tokenAuthentication({
    ...(apiKeys === undefined ? {} : { apiKeys }),
    ...(jwt === undefined ? {} : { jwt }),
  });
}
