/**
 * What `deno task up --tls` / `--mtls` (and the TLS tests) add to a local cluster: a CA and
 * one certificate for the services (localhost, 127.0.0.1, ::1) made with openssl, API keys and
 * a service key, and the environment that turns TLS and token authentication on in every
 * service; with `mtls`, certificates as identities instead (the services' CN=polaroid,
 * OU=service, an admin certificate of tenant "default" for the caller).
 *
 * @module
 */

import { initSecrets } from "./auth_key.ts";
import { type CertificateFiles, makeCertificates } from "./_certs.ts";

/** The files and environment of a secured local cluster. */
export interface SecureCluster {
  /** The CA clients trust (PEM path). */
  ca: string;
  /** An admin key of tenant "default" (token authentication). */
  adminKey?: string;
  /** An admin certificate of tenant "default" (mTLS authentication). */
  adminCertificate?: CertificateFiles;
  /** Environment for every service. */
  env: Record<string, string>;
}

/** Options of secureCluster(). */
export interface SecureClusterOptions {
  /** Authenticate callers by client certificate rather than by token. @default false */
  mtls?: boolean;
}

/** Makes `<dir>/tls` and `<dir>/secrets` afresh and returns what a cluster needs. */
export async function secureCluster(
  dir: string,
  options: SecureClusterOptions = {},
): Promise<SecureCluster> {
  await Deno.remove(`${dir}/tls`, { recursive: true }).catch(() => {});
  await Deno.remove(`${dir}/secrets`, { recursive: true }).catch(() => {});
  if (options.mtls) {
    const certs = await makeCertificates(`${dir}/tls`, [
      { name: "service", subject: "/CN=polaroid/OU=service" },
      { name: "admin", subject: "/CN=default/OU=admin" },
    ]);
    const service = certs.issued.service!;
    return {
      ca: certs.ca,
      adminCertificate: certs.issued.admin!,
      env: {
        ...tlsEnv(service, certs.ca),
        POLAROID_AUTH: "mtls",
        POLAROID_TLS_CLIENT_CA_FILE: certs.ca,
      },
    };
  }
  const certs = await makeCertificates(`${dir}/tls`, ["service"]);
  const adminKey = await initSecrets(`${dir}/secrets`, "default");
  return {
    ca: certs.ca,
    adminKey,
    env: {
      ...tlsEnv(certs.issued.service!, certs.ca),
      POLAROID_AUTH: "token",
      POLAROID_AUTH_API_KEYS_FILE: `${dir}/secrets/api-keys.json`,
      POLAROID_SERVICE_TOKEN_FILE: `${dir}/secrets/service-token`,
    },
  };
}

function tlsEnv(service: CertificateFiles, ca: string): Record<string, string> {
  return {
    POLAROID_TLS_CERT_FILE: service.cert,
    POLAROID_TLS_KEY_FILE: service.key,
    POLAROID_TLS_CA_FILE: ca,
  };
}
