/**
 * A local certificate authority for TLS on a local cluster (`deno task up --tls`) and the
 * TLS tests: a CA, and certificates it signs, made with the `openssl` command. Each certificate
 * is X.509 v3 with `subjectAltName` for the hosts given and `extendedKeyUsage` serverAuth and
 * clientAuth (Deno's TLS refuses v1 certificates as client certificates), EC P-256 keys.
 *
 * @module
 */

/** PEM paths of one certificate and its key. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** The CA and the certificates made in a directory. */
export interface LocalCertificates {
  dir: string;
  /** The CA's certificate (what peers trust). */
  ca: string;
  /** By name: a certificate for each name asked for. */
  issued: Record<string, CertificateFiles>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/** A certificate to make: its file name, and its subject (default `/CN=<name>`). */
export type CertificateRequest = string | { name: string; subject: string };

/**
 * Makes a CA in `dir` and one certificate per entry of `names` (file names `<name>.pem`,
 * `<name>-key.pem`), each for `hosts` (DNS names and IP addresses), with the subject asked for
 * (e.g. `/CN=acme/OU=read/OU=write` for a client of tenant acme with two roles).
 */
export async function makeCertificates(
  dir: string,
  names: readonly CertificateRequest[],
  hosts: readonly string[] = ["localhost", "127.0.0.1", "::1"],
  days = 30,
): Promise<LocalCertificates> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl([
    "req",
    "-x509",
    ...curve,
    "-keyout",
    "ca-key.pem",
    "-out",
    "ca.pem",
    "-days",
    String(days),
    "-subj",
    "/CN=Polaroid local CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ], dir);
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
  await Deno.writeTextFile(
    `${dir}/v3.ext`,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth,clientAuth",
      `subjectAltName=${san}`,
      "",
    ].join("\n"),
  );
  const issued: Record<string, CertificateFiles> = {};
  for (const request of names) {
    const { name, subject } = typeof request === "string"
      ? { name: request, subject: `/CN=${request}` }
      : request;
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) {
      throw new TypeError(`bad certificate name ${name}`);
    }
    await openssl([
      "req",
      ...curve,
      "-keyout",
      `${name}-key.pem`,
      "-out",
      `${name}.csr`,
      "-subj",
      subject,
    ], dir);
    await openssl([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca-key.pem",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      String(days),
      "-extfile",
      "v3.ext",
    ], dir);
    await Deno.remove(`${dir}/${name}.csr`);
    issued[name] = { cert: `${dir}/${name}.pem`, key: `${dir}/${name}-key.pem` };
  }
  return { dir, ca: `${dir}/ca.pem`, issued };
}
