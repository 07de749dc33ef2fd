/**
 * How callers prove who they are (docs/security.md), parsed from the environment:
 *
 * - `POLAROID_AUTH`: `none` (default), `token` or `mtls`. `none` takes any caller as the
 *   tenant it names and is allowed on loopback binds only: a server on any other address
 *   without authentication refuses to start. `mtls` takes the caller's identity from its
 *   client certificate (CN: tenant, OU: roles), verified against POLAROID_TLS_CLIENT_CA_FILE.
 * - `POLAROID_AUTH_API_KEYS_FILE` (or `POLAROID_AUTH_API_KEYS`, the JSON itself): the hashed API
 *   keys (shared/auth/api_keys.ts).
 * - `POLAROID_AUTH_JWT_SECRET` (or `_FILE`): an HS256 secret of 32 bytes or more;
 *   `POLAROID_AUTH_JWT_PUBLIC_KEY_FILE`: a PEM public key (RS256, ES256, EdDSA);
 *   `POLAROID_AUTH_JWKS_FILE`: a JWKS. At most one of the three.
 *   `POLAROID_AUTH_JWT_ISSUER`, `POLAROID_AUTH_JWT_AUDIENCE`: checked when set.
 * - `POLAROID_SERVICE_TOKEN` (or `_FILE`): this service's own credential (an API key or a JWT
 *   with the `service` role) for its calls to the other services.
 *
 * @module
 */

import type { JwtKeys } from "./auth/jwt.ts";
import { ConfigError, type Env, raw, readConfigFile, secret } from "./config_env.ts";

/** The parsed authentication settings. */
export interface AuthConfig {
  mode: "none" | "token" | "mtls";
  /** The JSON text of the API keys. */
  apiKeys?: string;
  /** The JWT verification key (one of secret, public key, JWKS) and the claims checked. */
  jwt?: JwtKeys;
  /** This service's credential for its calls to other services. */
  serviceToken?: string;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost)$/;

/** True when binding `host` serves this machine only. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Parses the authentication settings of a server bound to `host`. */
export function authConfig(env: Env, host: string): AuthConfig {
  const mode = raw(env, "POLAROID_AUTH") ?? "none";
  if (mode !== "none" && mode !== "token" && mode !== "mtls") {
    throw new ConfigError(
      `Cannot start as 'POLAROID_AUTH' must be one of none, token, mtls: current value is ${
        JSON.stringify(mode)
      }`,
    );
  }
  const serviceToken = secret(env, "POLAROID_SERVICE_TOKEN");
  const service = serviceToken === undefined ? {} : { serviceToken };
  if (mode === "none") {
    if (!isLoopback(host)) {
      throw new ConfigError(
        `Cannot start as POLAROID_AUTH=none would let anyone who reaches POLAROID_HOST=${host} act as any tenant: set POLAROID_AUTH=token (docs/security.md) or bind a loopback address`,
      );
    }
    return { mode, ...service };
  }
  if (mode === "mtls") {
    // The client CA and the server's own certificate are TLS settings (config_tls.ts); that
    // they are set is checked where both are known (config.ts).
    return { mode, ...service };
  }
  const apiKeys = secret(env, "POLAROID_AUTH_API_KEYS");
  const jwtSecret = secret(env, "POLAROID_AUTH_JWT_SECRET");
  const pemFile = raw(env, "POLAROID_AUTH_JWT_PUBLIC_KEY_FILE");
  const jwksFile = raw(env, "POLAROID_AUTH_JWKS_FILE");
  const keys = [jwtSecret, pemFile, jwksFile].filter((k) => k !== undefined).length;
  if (keys > 1) {
    throw new ConfigError(
      "Cannot start as more than one of POLAROID_AUTH_JWT_SECRET, POLAROID_AUTH_JWT_PUBLIC_KEY_FILE and POLAROID_AUTH_JWKS_FILE is set: set one",
    );
  }
  if (keys === 0 && apiKeys === undefined) {
    throw new ConfigError(
      "Cannot start as POLAROID_AUTH=token needs API keys (POLAROID_AUTH_API_KEYS_FILE), a JWT key (POLAROID_AUTH_JWT_SECRET, POLAROID_AUTH_JWT_PUBLIC_KEY_FILE or POLAROID_AUTH_JWKS_FILE), or both",
    );
  }
  if (jwtSecret !== undefined && new TextEncoder().encode(jwtSecret).length < 32) {
    throw new ConfigError(
      "Cannot start as POLAROID_AUTH_JWT_SECRET must be at least 32 bytes long",
    );
  }
  const issuer = raw(env, "POLAROID_AUTH_JWT_ISSUER");
  const audience = raw(env, "POLAROID_AUTH_JWT_AUDIENCE");
  const jwt: JwtKeys | undefined = keys === 0 ? undefined : {
    ...(jwtSecret === undefined ? {} : { secret: new TextEncoder().encode(jwtSecret) }),
    ...(pemFile === undefined
      ? {}
      : { publicKeyPem: readConfigFile(pemFile, "POLAROID_AUTH_JWT_PUBLIC_KEY_FILE") }),
    ...(jwksFile === undefined
      ? {}
      : { jwks: readConfigFile(jwksFile, "POLAROID_AUTH_JWKS_FILE") }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
  };
  return {
    mode,
    ...(apiKeys === undefined ? {} : { apiKeys }),
    ...(jwt === undefined ? {} : { jwt }),
    ...service,
  };
}
