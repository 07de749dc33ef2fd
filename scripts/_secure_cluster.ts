/**
 * What `deno task up --tls` (and the TLS tests) add to a local cluster: a CA and one
 * certificate for the services (localhost, 127.0.0.1, ::1) made with openssl, API keys and a
 * service key, and the environment that turns TLS and token authentication on in every
 * service.
 *
 * @module
 */

import { initSecrets } from "./auth_key.ts";
import { makeCertificates } from "./_certs.ts";

/** The files and environment of a secured local cluster. */
export interface SecureCluster {
  /** The CA clients trust (PEM path). */
  ca: string;
  /** An admin key of tenant "default". */
  adminKey: string;
  /** Environment for every service. */
  env: Record<string, string>;
}

/** Makes `<dir>/tls` and `<dir>/secrets` afresh and returns what a cluster needs. */
export async function secureCluster(dir: string): Promise<SecureCluster> {
  await Deno.remove(`${dir}/tls`, { recursive: true }).catch(() => {});
  await Deno.remove(`${dir}/secrets`, { recursive: true }).catch(() => {});
  const certs = await makeCertificates(`${dir}/tls`, ["service"]);
  const adminKey = await initSecrets(`${dir}/secrets`, "default");
  const service = certs.issued.service!;
  return {
    ca: certs.ca,
    adminKey,
    env: {
      POLAROID_TLS_CERT_FILE: service.cert,
      POLAROID_TLS_KEY_FILE: service.key,
      POLAROID_TLS_CA_FILE: certs.ca,
      POLAROID_AUTH: "token",
      POLAROID_AUTH_API_KEYS_FILE: `${dir}/secrets/api-keys.json`,
      POLAROID_SERVICE_TOKEN_FILE: `${dir}/secrets/service-token`,
    },
  };
}
