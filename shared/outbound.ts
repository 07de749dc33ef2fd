/**
 * Where ingest sources may connect out to (the outbound sources of docs/ingest.md: a caller
 * names a URL, the server connects). Before anything connects, the URL's host is resolved and
 * every address checked:
 *
 * - with `POLAROID_INGEST_ALLOW_HOSTS` set, the host must match one of its entries: a name
 *   (`feed.example.com`), a suffix (`*.example.com`), an address or a CIDR range
 *   (`10.1.0.0/16`, `fd00::/8`);
 * - an address in a private, loopback, link-local, unique-local, shared (CGNAT), multicast or
 *   reserved range is refused unless an entry names its host or covers the address, so a
 *   caller cannot reach the services' own network (SSRF) by default.
 *
 * The addresses checked are returned: connect to one of them (not the name again), so that a
 * second resolution cannot swap in another address (DNS rebinding).
 *
 * @module
 */

import { isIP } from "node:net";
import { lookup } from "node:dns/promises";
import { ConfigError } from "./config_env.ts";
import { InvalidArgumentError, PermissionDeniedError } from "./errors.ts";

/** One entry of POLAROID_INGEST_ALLOW_HOSTS. */
type Rule =
  | { kind: "name"; name: string }
  | { kind: "suffix"; suffix: string }
  | { kind: "range"; family: 4 | 6; net: bigint; bits: number };

/** What outbound connections may reach. */
export interface OutboundPolicy {
  /** The entries; none: any host whose addresses are all public. */
  readonly rules: readonly Rule[];
}

/** Resolves a host name to its addresses. */
export type Resolver = (host: string) => Promise<string[]>;

const NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const VARIABLE = "POLAROID_INGEST_ALLOW_HOSTS";

/** Parses POLAROID_INGEST_ALLOW_HOSTS (comma-separated); ConfigError naming a bad entry. */
export function parseAllowHosts(text: string | undefined): OutboundPolicy {
  const rules: Rule[] = [];
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    const bad = () =>
      new ConfigError(
        `Cannot start as each entry of '${VARIABLE}' must be a host name, *.suffix, an address or a CIDR range: current value is ${
          JSON.stringify(raw.trim())
        }`,
      );
    if (entry.startsWith("*.")) {
      if (!NAME.test(entry.slice(2))) throw bad();
      rules.push({ kind: "suffix", suffix: entry.slice(1) });
    } else if (entry.includes("/") || isIP(entry) !== 0) {
      const [address, prefix] = entry.split("/");
      const family = isIP(address!);
      if (family === 0) throw bad();
      const max = family === 4 ? 32 : 128;
      const bits = prefix === undefined ? max : Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > max || !/^\d*$/.test(prefix ?? "")) {
        throw bad();
      }
      rules.push({
        kind: "range",
        family: family === 4 ? 4 : 6,
        net: mask(toBigInt(address!), bits, max),
        bits,
      });
    } else if (NAME.test(entry)) {
      rules.push({ kind: "name", name: entry });
    } else {
      throw bad();
    }
  }
  return { rules };
}

/** Private, loopback, link-local and otherwise non-public ranges. */
const NON_PUBLIC: ReadonlyArray<{ family: 4 | 6; cidr: string }> = [
  ...[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
  ].map((cidr) => ({ family: 4 as const, cidr })),
  ...["::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "2001:db8::/32", "64:ff9b::/96"]
    .map((cidr) => ({ family: 6 as const, cidr })),
];
const NON_PUBLIC_RULES = NON_PUBLIC.map(({ family, cidr }) => {
  const [address, bits] = cidr.split("/");
  const max = family === 4 ? 32 : 128;
  return { family, bits: Number(bits), net: mask(toBigInt(address!), Number(bits), max) };
});

/** Whether `address` (v4 or v6; a v4-mapped v6 counts as its v4) is in a non-public range. */
export function isNonPublic(address: string): boolean {
  const [family, value] = normalize(address);
  return NON_PUBLIC_RULES.some((r) =>
    r.family === family && mask(value, r.bits, family === 4 ? 32 : 128) === r.net
  );
}

/**
 * Checks that `url` may be reached under `policy`; returns its host's addresses, all checked.
 * InvalidArgumentError for a URL without a host; PermissionDeniedError naming the host and
 * POLAROID_INGEST_ALLOW_HOSTS otherwise.
 */
export async function checkOutbound(
  url: URL,
  policy: OutboundPolicy,
  resolve: Resolver = systemResolver,
): Promise<string[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "") {
    throw new InvalidArgumentError(`Cannot connect to ${url.protocol} URL as it must name a host`);
  }
  const named = policy.rules.some((r) =>
    (r.kind === "name" && r.name === host) || (r.kind === "suffix" && host.endsWith(r.suffix))
  );
  const addresses = isIP(host) !== 0 ? [host] : await resolve(host).catch((error) => {
    throw new PermissionDeniedError(
      `Cannot connect to ${host} as it must resolve to an address: ${(error as Error).message}`,
      { metadata: { host } },
    );
  });
  if (addresses.length === 0) {
    throw new PermissionDeniedError(`Cannot connect to ${host} as it resolves to no address`, {
      metadata: { host },
    });
  }
  for (const address of addresses) {
    const listed = named || covered(address, policy);
    const refusal = policy.rules.length > 0 && !listed
      ? `it is not in ${VARIABLE}`
      : isNonPublic(address) && !listed
      ? `${address} is a private, loopback or link-local address (list it in ${VARIABLE} to allow it)`
      : undefined;
    if (refusal !== undefined) {
      throw new PermissionDeniedError(`Cannot connect to ${host} as ${refusal}`, {
        metadata: { host },
      });
    }
  }
  return addresses;
}

function covered(address: string, policy: OutboundPolicy): boolean {
  const [family, value] = normalize(address);
  return policy.rules.some((r) =>
    r.kind === "range" && r.family === family &&
    mask(value, r.bits, family === 4 ? 32 : 128) === r.net
  );
}

async function systemResolver(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** The family and value of an address; a v4-mapped v6 address is its v4 address. */
function normalize(address: string): [4 | 6, bigint] {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return [4, toBigInt(mapped[1]!)];
  return [isIP(address) === 4 ? 4 : 6, toBigInt(address)];
}

function toBigInt(address: string): bigint {
  if (isIP(address) === 4) {
    return address.split(".").reduce((n, part) => (n << 8n) + BigInt(Number(part)), 0n);
  }
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  let text = address;
  if (mapped) {
    const v4 = toBigInt(mapped[2]!);
    text = `${mapped[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const parts = (s: string | undefined) => (s ? s.split(":") : []);
  const groups = tail === undefined ? parts(head) : [
    ...parts(head),
    ...Array(8 - parts(head).length - parts(tail).length).fill("0"),
    ...parts(tail),
  ];
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function mask(value: bigint, bits: number, max: number): bigint {
  return bits === 0 ? 0n : (value >> BigInt(max - bits)) << BigInt(max - bits);
}
