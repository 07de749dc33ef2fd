/**
 * Who a call acts as, once its credentials are verified (authenticator.ts): a type of its
 * own, so that the gRPC layer's types (shared/grpc/types.ts) name it without importing the
 * authenticator, which reads the gRPC metadata.
 *
 * @module
 */

import type { Role } from "./roles.ts";

/** A verified caller. */
export interface Identity {
  /** The tenant the call acts for. */
  tenant: string;
  roles: ReadonlySet<Role>;
  /** Who it is, for audit lines: an API key's id, a token's `sub`, or "anonymous". */
  subject: string;
  /** How it was verified. */
  via: "none" | "api_key" | "jwt" | "certificate";
}
