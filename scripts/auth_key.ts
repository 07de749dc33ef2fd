/**
 * `deno task auth:key`: makes API keys (shared/auth/api_keys.ts).
 *
 * ```sh
 * # One key: prints the key (give it to its user) and the record to add to the keys file.
 * deno task auth:key --tenant acme --roles read,write
 * # A deployment's secrets: <dir>/api-keys.json with a service key and an admin key for
 * # --tenant (default "default"), <dir>/service-token with the service key, a locked-down
 * # nats.conf, each service's NATS password, a NATS publisher for --tenant's ingest sources, and
 * # in <dir>/tls a CA and the services' TLS certificate (for compose's service names and
 * # loopback; openssl); prints the admin key. --nats-host sets NATS's listen address
 * # (default 0.0.0.0; "::" on Fly's IPv6 private network).
 * deno task auth:key --init deploy/compose/secrets [--tenant default] [--nats-host ::]
 * ```
 *
 * Keys are shown once: only their SHA-256 is stored.
 *
 * @module
 */

import { newApiKey } from "../shared/auth/api_keys.ts";
import { parseRoles } from "../shared/auth/roles.ts";
import { natsServerConfig, newNatsPublisher, newNatsUsers } from "./nats_config.ts";
import { makeCertificates } from "./_certs.ts";

/**
 * Secret files are readable by any user of a container they are mounted into (compose mounts
 * each file as it is, and the services run as the image's `deno` user, not the file's owner);
 * on the host the directory (0700) keeps everyone but its owner out.
 */
const SECRET_FILE_MODE = 0o644;

/** The names the services' certificate is made for: compose's service names, and loopback. */
export const DEPLOYMENT_HOSTS: readonly string[] = [
  "localhost",
  "127.0.0.1",
  "::1",
  "handles",
  "compute",
  "ingest",
  "balancer",
];

/** Options of initSecrets(). */
export interface InitSecretsOptions {
  /**
   * Also make a CA and the services' TLS certificate for these host names and addresses, in
   * `<dir>/tls` (`ca.pem`, `service.pem`, `service-key.pem`; `ca-key.pem` stays there for
   * issuing more). @default none
   */
  tlsHosts?: readonly string[];
  /** The address NATS listens on. @default "0.0.0.0" */
  natsHost?: string;
}

/**
 * Writes a deployment's secrets into `dir`: the API keys file, the services' key, and for a
 * locked-down NATS its configuration (`nats.conf`, listening on every interface of its
 * container, JetStream in /data), each service's password (`nats-<service>-password`) and
 * the password of `tenant`'s NATS publisher (`nats-publisher-<tenant>-password`), which may
 * publish to that tenant's ingest sources only; with `tlsHosts`, the TLS files.
 * Returns the admin key for `tenant`.
 */
export async function initSecrets(
  dir: string,
  tenant: string,
  options: InitSecretsOptions = {},
): Promise<string> {
  const service = newApiKey("polaroid", ["service"]);
  const admin = newApiKey(tenant, ["admin"]);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.chmod(dir, 0o700);
  const records = [service.record, admin.record];
  await Deno.writeTextFile(`${dir}/api-keys.json`, JSON.stringify(records, null, 2) + "\n", {
    mode: SECRET_FILE_MODE,
  });
  await Deno.writeTextFile(`${dir}/service-token`, service.key + "\n", { mode: SECRET_FILE_MODE });
  const users = newNatsUsers();
  const publisher = newNatsPublisher(tenant);
  const conf = natsServerConfig({
    host: options.natsHost ?? "0.0.0.0",
    port: 4222,
    monitorPort: 8222,
    storeDir: "/data",
    users,
    publishers: [publisher],
  });
  await Deno.writeTextFile(`${dir}/nats.conf`, conf, { mode: SECRET_FILE_MODE });
  for (const [kind, { pass }] of Object.entries(users)) {
    await Deno.writeTextFile(`${dir}/nats-${kind}-password`, pass + "\n", {
      mode: SECRET_FILE_MODE,
    });
  }
  await Deno.writeTextFile(`${dir}/nats-${publisher.user}-password`, publisher.pass + "\n", {
    mode: SECRET_FILE_MODE,
  });
  if (options.tlsHosts) {
    await makeCertificates(`${dir}/tls`, ["service"], options.tlsHosts, 365);
    await Deno.chmod(`${dir}/tls/service-key.pem`, SECRET_FILE_MODE);
  }
  return admin.key;
}

/**
 * The `--name value` pairs of the command line; a flag that is not one of `known`, or that has
 * no value, is refused with an error naming it (nothing is made then).
 */
export function parseKeyFlags(
  args: readonly string[],
): { tenant: string; roles: string; init?: string; natsHost?: string } {
  const known = ["tenant", "roles", "init", "nats-host"];
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, "");
    const value = args[i + 1];
    if (!args[i]!.startsWith("--") || !known.includes(name)) {
      throw new TypeError(
        `Cannot make keys as '${args[i]}' is not a flag: flags are --${known.join(", --")}`,
      );
    }
    if (value === undefined || value.startsWith("--")) {
      throw new TypeError(`Cannot make keys as '--${name}' needs a value`);
    }
    values[name] = value;
  }
  return {
    tenant: values.tenant ?? "default",
    roles: values.roles ?? "read",
    ...(values.init === undefined ? {} : { init: values.init }),
    ...(values["nats-host"] === undefined ? {} : { natsHost: values["nats-host"] }),
  };
}

if (import.meta.main) {
  let flags: ReturnType<typeof parseKeyFlags>;
  try {
    flags = parseKeyFlags(Deno.args);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  const { tenant, init } = flags;
  if (init !== undefined) {
    const key = await initSecrets(init, tenant, {
      tlsHosts: DEPLOYMENT_HOSTS,
      ...(flags.natsHost === undefined ? {} : { natsHost: flags.natsHost }),
    });
    console.log(
      `wrote ${init}/api-keys.json, service-token, nats.conf, nats-<service>-password, nats-publisher-${tenant}-password and tls/ (a CA, the services' certificate for ${
        DEPLOYMENT_HOSTS.join(", ")
      })`,
    );
    console.log(`admin key of tenant ${tenant} (shown once): ${key}`);
  } else {
    const roles = parseRoles(flags.roles.split(","), "--roles");
    const { key, record } = newApiKey(tenant, [...roles]);
    console.log(`key (shown once): ${key}`);
    console.log(`record for POLAROID_AUTH_API_KEYS_FILE: ${JSON.stringify(record)}`);
  }
}
