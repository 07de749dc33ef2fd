/**
 * How a service signs in to NATS (docs/security.md, "NATS"), parsed from the environment:
 * `POLAROID_NATS_USER` and `POLAROID_NATS_PASSWORD` (or `_FILE`), set together. A locked-down
 * nats-server (scripts/nats_config.ts) gives each service its own user, whose permissions name
 * the subjects it may publish and subscribe to; nothing else may connect.
 *
 * @module
 */

import { ConfigError, type Env, raw, secret } from "./config_env.ts";

/** A NATS user and password. */
export interface NatsAuth {
  user: string;
  pass: string;
}

/** Parses the NATS credentials; undefined when none are set. */
export function natsAuth(env: Env): NatsAuth | undefined {
  const user = raw(env, "POLAROID_NATS_USER");
  const pass = secret(env, "POLAROID_NATS_PASSWORD");
  if ((user === undefined) !== (pass === undefined)) {
    throw new ConfigError(
      "Cannot start as POLAROID_NATS_USER and POLAROID_NATS_PASSWORD (or _FILE) must be set together",
    );
  }
  return user === undefined ? undefined : { user, pass: pass! };
}
