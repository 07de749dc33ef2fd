/**
 * Static API keys: `pk_<id>_<secret>`, a 12-character id and a 32-character secret in base32
 * (160 random bits). The server keeps only each key's SHA-256 (a key is random, so a fast hash
 * is as strong as a slow one), with the tenant and roles it grants, in a JSON file
 * (`POLAROID_AUTH_API_KEYS_FILE`):
 *
 * ```json
 * [{ "id": "abcdefghijkl", "sha256": "<64 hex digits>", "tenant": "acme", "roles": ["read", "write"] }]
 * ```
 *
 * `deno task auth:key --tenant acme --roles read,write` makes a key and prints its record.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";
import { base32, validateTenant } from "../ids.ts";
import { parseRoles, type Role } from "./roles.ts";

const KEY = /^pk_([a-z2-7]{12})_([a-z2-7]{32})$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** What a stored key grants. */
export interface ApiKeyRecord {
  id: string;
  /** SHA-256 of the whole key, in hex. */
  sha256: string;
  tenant: string;
  roles: Set<Role>;
}

/** SHA-256 of a key, in hex. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new key and the record that stores it. */
export function newApiKey(
  tenant: string,
  roles: readonly Role[],
): { key: string; record: { id: string; sha256: string; tenant: string; roles: Role[] } } {
  validateTenant(tenant);
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const key = `pk_${base32(random(8), 12)}_${base32(random(20), 32)}`;
  return {
    key,
    record: { id: key.slice(3, 15), sha256: hashApiKey(key), tenant, roles: [...roles] },
  };
}

/** True when the text has the form of an API key (not whether it is a valid one). */
export function looksLikeApiKey(text: string): boolean {
  return text.startsWith("pk_");
}

/** The stored keys, by id. */
export class ApiKeyStore {
  readonly #byId = new Map<string, ApiKeyRecord>();

  /** Parses the JSON text of a keys file; throws naming the first bad record. */
  static parse(text: string, where: string): ApiKeyStore {
    let records: unknown;
    try {
      records = JSON.parse(text);
    } catch (error) {
      throw new TypeError(`${where} is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(records)) throw new TypeError(`${where} must hold a JSON array of keys`);
    const store = new ApiKeyStore();
    records.forEach((r, i) => {
      const at = `${where}[${i}]`;
      const rec = r as Record<string, unknown>;
      if (typeof rec?.id !== "string" || !/^[a-z2-7]{12}$/.test(rec.id)) {
        throw new TypeError(`${at}.id must be the 12 base32 characters after 'pk_'`);
      }
      if (typeof rec.sha256 !== "string" || !HEX64.test(rec.sha256)) {
        throw new TypeError(`${at}.sha256 must be 64 lowercase hex digits`);
      }
      if (typeof rec.tenant !== "string") throw new TypeError(`${at}.tenant must be a tenant name`);
      try {
        validateTenant(rec.tenant);
      } catch (error) {
        throw new TypeError(`${at}.tenant: ${(error as Error).message}`);
      }
      if (store.#byId.has(rec.id)) throw new TypeError(`${at}.id is listed twice: ${rec.id}`);
      store.#byId.set(rec.id, {
        id: rec.id,
        sha256: rec.sha256,
        tenant: rec.tenant,
        roles: parseRoles(rec.roles, `${at}.roles`),
      });
    });
    return store;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The record a presented key matches, or undefined (in time independent of the secret). */
  verify(key: string): ApiKeyRecord | undefined {
    const match = KEY.exec(key);
    if (!match) return undefined;
    const record = this.#byId.get(match[1]!);
    const presented = Buffer.from(hashApiKey(key), "hex");
    const stored = Buffer.from(record?.sha256 ?? "0".repeat(64), "hex");
    const equal = timingSafeEqual(presented, stored);
    return record !== undefined && equal ? record : undefined;
  }
}
