/**
 * Test certificates made with the real `openssl` (a missing peer fails the test): a CA,
 * server certificates signed by it, and self-signed ones, in a temporary directory that
 * the caller removes (`await using pki = await makePki()`).
 * @module
 */

import { type CliProcess, spawnPeer } from "./cli.ts";
import { requirePeer } from "./peers.ts";

/** Paths of the files `makePki` wrote. */
export interface Pki extends AsyncDisposable {
  dir: string;
  /** The CA certificate (PEM), for `--ca` and `-CAfile`. */
  caCert: string;
  /** A server certificate for `localhost`, `127.0.0.1` and `::1`, signed by the CA. */
  serverCert: string;
  serverKey: string;
  /** A second key that matches no certificate. */
  otherKey: string;
  /** Writes a new certificate signed by the CA with these SANs; returns [cert, key]. */
  issue(name: string, sans: string): Promise<[string, string]>;
}

/** Runs openssl with `args` in `dir`; throws with its stderr when it fails. */
export async function openssl(args: string[], dir: string): Promise<void> {
  const output = await new Deno.Command(requirePeer("openssl"), {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`openssl ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** Makes a CA and a server certificate signed by it. */
export async function makePki(): Promise<Pki> {
  const dir = await Deno.makeTempDir({ prefix: "sockchat-pki-" });
  await openssl(
    [
      "req",
      "-x509",
      ...EC,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=sockchat test CA",
    ],
    dir,
  );
  const issue = async (name: string, sans: string): Promise<[string, string]> => {
    await openssl([
      "req",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${name}`,
    ], dir);
    await Deno.writeTextFile(`${dir}/${name}.ext`, `subjectAltName=${sans}\n`);
    await openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        `${name}.pem`,
        "-days",
        "2",
        "-extfile",
        `${name}.ext`,
      ],
      dir,
    );
    return [`${dir}/${name}.pem`, `${dir}/${name}.key`];
  };
  const [serverCert, serverKey] = await issue("server", "DNS:localhost,IP:127.0.0.1,IP:::1");
  await openssl([
    "genpkey",
    "-algorithm",
    "EC",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-out",
    "other.key",
  ], dir);
  return {
    dir,
    caCert: `${dir}/ca.pem`,
    serverCert,
    serverKey,
    otherKey: `${dir}/other.key`,
    issue,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/**
 * `openssl s_server` on a free loopback port with the test PKI's server certificate, for one
 * connection; its stdin is piped (what is written there goes to the client).
 */
export async function opensslServer(pki: Pki): Promise<{ server: CliProcess; port: string }> {
  const server = spawnPeer([
    requirePeer("openssl"),
    "s_server",
    "-accept",
    "127.0.0.1:0",
    "-cert",
    pki.serverCert,
    "-key",
    pki.serverKey,
    "-naccept",
    "1",
  ], { stdin: "piped" });
  const port = (await server.waitForStdout(/ACCEPT 127\.0\.0\.1:(\d+)/))[1]!;
  return { server, port };
}
