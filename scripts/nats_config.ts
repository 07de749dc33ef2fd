/**
 * A locked-down nats-server (docs/security.md, "NATS"): one user per Polaroid service with a
 * random password, each allowed only the subjects its service uses, a publisher per tenant
 * that feeds ingest sources, and no one else (no anonymous user). Monitoring listens on the
 * same loopback-or-private address as the server.
 *
 * | user | publishes | subscribes |
 * | --- | --- | --- |
 * | handles | handle events, its catalog and lease buckets and the JetStream API of their streams | its own replies; the console's snapshots, `polaroid.console.>` |
 * | compute | job submissions and acks, its jobs bucket, the JetStream API of the jobs stream and the bucket's; its console snapshots | handle events, its own replies |
 * | ingest | its own replies; the JetStream API of the durable ingest stream and its consumers; its console snapshots | the tenants' ingest namespaces, `polaroid.ingest.>` (NATS sources) |
 * | publisher-<tenant> | its tenant's ingest namespaces, `polaroid.ingest.<tenant>.>` and `polaroid.durable.<tenant>.>` | nothing |
 *
 * Of the JetStream API each of these two users gets account info (`$JS.API.INFO`) and, on its
 * own streams only, the calls @nats-io/jetstream and @nats-io/kv make for it: create and look
 * up the streams and consumers, read entries, pull jobs, and for handles, purge a freed
 * handle's delete marker from the catalog; it also answers its KV watches' flow control
 * (`$JS.FC.<stream>.>`). Neither may delete or list streams, nor reach the other's.
 *
 * @module
 */

import { base32, validateTenant } from "../shared/ids.ts";
import { ensureCommand } from "./_debian.ts";
import {
  DURABLE_INGEST_STREAM,
  durableSubject,
  HANDLE_EVENTS_SUBJECT,
  INGEST_SUBJECT_PREFIX,
  ingestSubject,
  NATS_INBOX_PREFIX,
} from "../shared/nats.ts";
import {
  JOBS_BUCKET,
  JOBS_CONSUMER,
  JOBS_STREAM,
  JOBS_SUBJECT,
} from "../services/compute/jobs_queue.ts";
import { CATALOG_BUCKET } from "../services/handles/kv_records.ts";
import { ACTIVITY_SUBJECT } from "../shared/telemetry/activity.ts";
import { LEASE_BUCKET } from "../services/handles/kv_lease_store.ts";

/** The services that sign in to NATS. */
export type NatsServiceUser = keyof typeof NATS_INBOX_PREFIX;

/** Each service's user name and password. */
export type NatsUsers = Record<NatsServiceUser, { user: string; pass: string }>;

interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
}

/**
 * The JetStream API calls on a KV bucket's stream `KV_<bucket>` that @nats-io/kv makes: open
 * the bucket (creating it on first use), read keys directly, and watch or list keys through
 * ordered consumers, which it creates, looks up, replaces after a gap and answers the flow
 * control of.
 */
function kvBucketApi(bucket: string): string[] {
  const stream = `KV_${bucket}`;
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/** What each service may publish and subscribe to. */
export const NATS_PERMISSIONS: Readonly<Record<NatsServiceUser, Permissions>> = {
  handles: {
    publish: {
      allow: [
        `${HANDLE_EVENTS_SUBJECT}.>`,
        "$JS.API.INFO",
        ...kvBucketApi(CATALOG_BUCKET),
        // Drops a freed handle's delete marker (services/handles/kv_bucket.ts).
        `$JS.API.STREAM.PURGE.KV_${CATALOG_BUCKET}`,
        ...kvBucketApi(LEASE_BUCKET),
        `$KV.${CATALOG_BUCKET}.>`,
        `$KV.${LEASE_BUCKET}.>`,
        `${NATS_INBOX_PREFIX.handles}.>`,
      ],
    },
    // The console's snapshots of what compute and ingest run (shared/telemetry/activity.ts).
    subscribe: { allow: [`${NATS_INBOX_PREFIX.handles}.>`, `${ACTIVITY_SUBJECT}.>`] },
  },
  compute: {
    publish: {
      allow: [
        "$JS.API.INFO",
        `$JS.API.STREAM.CREATE.${JOBS_STREAM}`,
        `$JS.API.STREAM.INFO.${JOBS_STREAM}`,
        `$JS.API.STREAM.UPDATE.${JOBS_STREAM}`,
        `$JS.API.CONSUMER.CREATE.${JOBS_STREAM}.${JOBS_CONSUMER}`,
        `$JS.API.CONSUMER.INFO.${JOBS_STREAM}.${JOBS_CONSUMER}`,
        `$JS.API.CONSUMER.MSG.NEXT.${JOBS_STREAM}.${JOBS_CONSUMER}`,
        ...kvBucketApi(JOBS_BUCKET),
        `$JS.ACK.${JOBS_STREAM}.>`,
        `$KV.${JOBS_BUCKET}.>`,
        JOBS_SUBJECT,
        `${NATS_INBOX_PREFIX.compute}.>`,
        `${ACTIVITY_SUBJECT}.compute.>`,
      ],
    },
    subscribe: { allow: [`${HANDLE_EVENTS_SUBJECT}.>`, `${NATS_INBOX_PREFIX.compute}.>`] },
  },
  ingest: {
    publish: {
      allow: [
        `${NATS_INBOX_PREFIX.ingest}.>`,
        `${ACTIVITY_SUBJECT}.ingest.>`,
        // JetStream sources: the durable ingest stream and its consumers only.
        "$JS.API.INFO",
        `$JS.API.STREAM.CREATE.${DURABLE_INGEST_STREAM}`,
        `$JS.API.STREAM.INFO.${DURABLE_INGEST_STREAM}`,
        `$JS.API.STREAM.UPDATE.${DURABLE_INGEST_STREAM}`,
        `$JS.API.CONSUMER.CREATE.${DURABLE_INGEST_STREAM}.>`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${DURABLE_INGEST_STREAM}.>`,
        `$JS.API.CONSUMER.INFO.${DURABLE_INGEST_STREAM}.>`,
        `$JS.API.CONSUMER.DELETE.${DURABLE_INGEST_STREAM}.>`,
        `$JS.API.CONSUMER.MSG.NEXT.${DURABLE_INGEST_STREAM}.>`,
        `$JS.ACK.${DURABLE_INGEST_STREAM}.>`,
      ],
    },
    subscribe: { allow: [`${INGEST_SUBJECT_PREFIX}.>`, `${NATS_INBOX_PREFIX.ingest}.>`] },
  },
};

/**
 * What a tenant's publisher (a feed handler writing to the tenant's ingest NATS sources) may
 * do: publish in the tenant's namespace, `polaroid.ingest.<tenant>.>`, and nothing else; it
 * reads nothing, not even replies.
 */
export function publisherPermissions(tenant: string): Permissions {
  validateTenant(tenant);
  return {
    publish: { allow: [ingestSubject(tenant, ">"), durableSubject(tenant, ">")] },
    subscribe: { allow: [], deny: [">"] },
  };
}

/** A tenant's publisher: its user name is `publisher-<tenant>`. */
export interface NatsPublisher {
  tenant: string;
  user: string;
  pass: string;
}

/** A new publisher for `tenant` with a random 32-character (160-bit) password. */
export function newNatsPublisher(tenant: string): NatsPublisher {
  validateTenant(tenant);
  return { tenant, user: `publisher-${tenant}`, pass: newPassword() };
}

function newPassword(): string {
  return base32(crypto.getRandomValues(new Uint8Array(20)), 32);
}

/** New users with random 32-character (160-bit) passwords. */
export function newNatsUsers(): NatsUsers {
  return {
    handles: { user: "polaroid-handles", pass: newPassword() },
    compute: { user: "polaroid-compute", pass: newPassword() },
    ingest: { user: "polaroid-ingest", pass: newPassword() },
  };
}

/** The configuration file of a locked-down nats-server. */
export function natsServerConfig(options: {
  host: string;
  port: number;
  monitorPort: number;
  storeDir: string;
  users: NatsUsers;
  /** Tenants' publishers. @default none */
  publishers?: readonly NatsPublisher[];
}): string {
  const at = (port: number) =>
    JSON.stringify(
      options.host.includes(":") ? `[${options.host}]:${port}` : `${options.host}:${port}`,
    );
  const list = (items: string[]) => `[${items.map((s) => JSON.stringify(s)).join(", ")}]`;
  const rule = (r: { allow: string[]; deny?: string[] }) =>
    `{ allow: ${list(r.allow)}${r.deny ? `, deny: ${list(r.deny)}` : ""} }`;
  const entry = (user: string, pass: string, p: Permissions) =>
    `    { user: ${JSON.stringify(user)}, password: ${
      JSON.stringify(pass)
    }, permissions: { publish: ${rule(p.publish)}, subscribe: ${rule(p.subscribe)} } }`;
  const users = [
    ...(Object.keys(options.users) as NatsServiceUser[]).map((kind) =>
      entry(options.users[kind].user, options.users[kind].pass, NATS_PERMISSIONS[kind])
    ),
    ...(options.publishers ?? []).map((p) => entry(p.user, p.pass, publisherPermissions(p.tenant))),
  ];
  return [
    "# Generated by scripts/nats_config.ts: one user per Polaroid service, no anonymous access.",
    `listen: ${at(options.port)}`,
    `http: ${at(options.monitorPort)}`,
    `server_name: "polaroid"`,
    `jetstream { store_dir: ${JSON.stringify(options.storeDir)} }`,
    "authorization {",
    "  users = [",
    users.join(",\n"),
    "  ]",
    "}",
    "",
  ].join("\n");
}

/**
 * Asks nats-server whether it accepts the configuration file at `path` (`nats-server -t`);
 * returns its refusal's text, or undefined when it accepts it.
 */
export async function natsConfigRefusal(path: string): Promise<string | undefined> {
  const natsServer = await ensureCommand("nats-server", { log: () => {} });
  const out = await new Deno.Command(natsServer, {
    args: ["-t", "-c", path],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) return undefined;
  const text = new TextDecoder();
  return (text.decode(out.stderr) + text.decode(out.stdout)).trim() || `exit ${out.code}`;
}
