import assert from "node:assert/strict";
import { clientTls, tlsConfig } from "./config_tls.ts";

Deno.test("TLS settings: a pair or nothing, PEM files only, a CA for outgoing calls", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const cert = `${dir}/cert.pem`;
    const key = `${dir}/key.pem`;
    const junk = `${dir}/junk.txt`;
    Deno.writeTextFileSync(cert, "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
    Deno.writeTextFileSync(key, "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");
    Deno.writeTextFileSync(junk, "not a certificate");
    assert.deepEqual(tlsConfig({}), {});
    assert.equal(clientTls({}), undefined);
    const both = tlsConfig({ POLAROID_TLS_CERT_FILE: cert, POLAROID_TLS_KEY_FILE: key });
    assert.match(both.cert!, /BEGIN CERTIFICATE/);
    assert.equal(clientTls(both), undefined, "no CA: outgoing calls stay plaintext");
    const withCa = tlsConfig({
      POLAROID_TLS_CERT_FILE: cert,
      POLAROID_TLS_KEY_FILE: key,
      POLAROID_TLS_CA_FILE: cert,
    });
    assert.deepEqual(Object.keys(clientTls(withCa)!).sort(), ["ca", "cert", "key"]);
    assert.throws(() => tlsConfig({ POLAROID_TLS_CERT_FILE: cert }), /must be set together/);
    assert.throws(
      () => tlsConfig({ POLAROID_TLS_CERT_FILE: junk, POLAROID_TLS_KEY_FILE: key }),
      /POLAROID_TLS_CERT_FILE' names holds no PEM CERTIFICATE/,
    );
    assert.throws(
      () => tlsConfig({ POLAROID_TLS_CERT_FILE: cert, POLAROID_TLS_KEY_FILE: cert }),
      /POLAROID_TLS_KEY_FILE' names holds no PEM PRIVATE KEY/,
    );
    assert.throws(() => tlsConfig({ POLAROID_TLS_CA_FILE: `${dir}/missing` }), /cannot be read/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
