/**
 * TLS on the gRPC ports (docs/security.md), parsed from the environment:
 *
 * - `POLAROID_TLS_CERT_FILE`, `POLAROID_TLS_KEY_FILE`: this service's certificate chain and
 *   private key (PEM). Set both and its gRPC server speaks TLS only (HTTP/2 over TLS, ALPN
 *   `h2`); the same pair is its client certificate when it calls the other services.
 * - `POLAROID_TLS_CA_FILE`: the CA bundle (PEM) this service trusts for the servers it calls;
 *   set it and its calls to the other services use TLS.
 * - `POLAROID_TLS_CLIENT_CA_FILE`: the CA bundle (PEM) that signs client certificates; set it
 *   and every client must present one (mTLS; `POLAROID_AUTH=mtls` reads identities from them).
 *
 * /healthz and /metrics stay plain HTTP (for load balancers and Prometheus on the private
 * network).
 *
 * @module
 */

import { ConfigError, type Env, raw, readConfigFile } from "./config_env.ts";

/** The parsed TLS settings (PEM texts). */
export interface TlsConfig {
  /** Certificate chain and key: the server speaks TLS, and clients present them. */
  cert?: string;
  key?: string;
  /** CA bundle for verifying the servers this service calls. */
  ca?: string;
  /** CA bundle that signs the client certificates the server asks for. */
  clientCa?: string;
}

/** Parses the TLS settings; ConfigError naming the variable for a bad or half setting. */
export function tlsConfig(env: Env): TlsConfig {
  const certFile = raw(env, "POLAROID_TLS_CERT_FILE");
  const keyFile = raw(env, "POLAROID_TLS_KEY_FILE");
  const caFile = raw(env, "POLAROID_TLS_CA_FILE");
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(
      "Cannot start as POLAROID_TLS_CERT_FILE and POLAROID_TLS_KEY_FILE must be set together",
    );
  }
  const out: TlsConfig = {};
  if (certFile !== undefined) {
    out.cert = pem(
      readConfigFile(certFile, "POLAROID_TLS_CERT_FILE"),
      "CERTIFICATE",
      "POLAROID_TLS_CERT_FILE",
    );
    out.key = pem(
      readConfigFile(keyFile!, "POLAROID_TLS_KEY_FILE"),
      "PRIVATE KEY",
      "POLAROID_TLS_KEY_FILE",
    );
  }
  const clientCaFile = raw(env, "POLAROID_TLS_CLIENT_CA_FILE");
  if (clientCaFile !== undefined) {
    if (certFile === undefined) {
      throw new ConfigError(
        "Cannot start as POLAROID_TLS_CLIENT_CA_FILE needs the server's own POLAROID_TLS_CERT_FILE and POLAROID_TLS_KEY_FILE",
      );
    }
    out.clientCa = pem(
      readConfigFile(clientCaFile, "POLAROID_TLS_CLIENT_CA_FILE"),
      "CERTIFICATE",
      "POLAROID_TLS_CLIENT_CA_FILE",
    );
  }
  if (caFile !== undefined) {
    out.ca = pem(
      readConfigFile(caFile, "POLAROID_TLS_CA_FILE"),
      "CERTIFICATE",
      "POLAROID_TLS_CA_FILE",
    );
  }
  return out;
}

/** Checks that `text` holds a PEM block of `kind` (any "… PRIVATE KEY" for keys). */
function pem(text: string, kind: string, variable: string): string {
  const ok = kind === "PRIVATE KEY"
    ? /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)
    : text.includes(`-----BEGIN ${kind}-----`);
  if (!ok) {
    throw new ConfigError(`Cannot start as the file '${variable}' names holds no PEM ${kind}`);
  }
  return text;
}

/** The TLS a service's own calls to the others use: none unless a CA is configured. */
export function clientTls(tls: TlsConfig): { ca: string; cert?: string; key?: string } | undefined {
  if (tls.ca === undefined) return undefined;
  return {
    ca: tls.ca,
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
  };
}
