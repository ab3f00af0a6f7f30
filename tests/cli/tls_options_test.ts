import assert from "node:assert/strict";
import { clientTlsOptions, serverTlsOptions } from "../../lib/cli/tls_options.ts";
import { UsageError } from "../../lib/errors.ts";
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from "../../lib/net/tls_server.ts";

const PIN = "AB:".repeat(31) + "AB";

function usage(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: Error) => error instanceof UsageError && message.test(error.message));
}

Deno.test("serverTlsOptions(): --cert/--key imply --tls; the handshake timeout defaults to 10s", () => {
  assert.equal(serverTlsOptions({}), undefined);
  assert.deepEqual(serverTlsOptions({ tls: true }), {
    handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  });
  assert.equal(DEFAULT_HANDSHAKE_TIMEOUT_MS, 10_000);
  assert.deepEqual(serverTlsOptions({ cert: "c.pem", key: "k.pem", handshakeTimeout: "2s" }), {
    handshakeTimeoutMs: 2000,
    certFile: "c.pem",
    keyFile: "k.pem",
  });
});

Deno.test("serverTlsOptions() rejects half a key pair, a stray timeout and --unix", () => {
  usage(() => serverTlsOptions({ cert: "c.pem" }), /^Option --cert needs --key/);
  usage(() => serverTlsOptions({ tls: true, key: "k.pem" }), /^Option --key needs --cert/);
  usage(() => serverTlsOptions({ handshakeTimeout: "1s" }), /only applies with --tls$/);
  usage(() => serverTlsOptions({ tls: true, handshakeTimeout: "0s" }), /must be greater than zero/);
  usage(() => serverTlsOptions({ tls: true, unix: "/tmp/s" }), /cannot be combined with --unix/);
});

Deno.test("clientTlsOptions(): --ca, --fingerprint, --insecure and --servername imply --tls", () => {
  assert.equal(clientTlsOptions({}), undefined);
  assert.deepEqual(clientTlsOptions({ tls: true }), { caFiles: [], insecure: false });
  assert.deepEqual(clientTlsOptions({ ca: ["a.pem", "b.pem"] }), {
    caFiles: ["a.pem", "b.pem"],
    insecure: false,
  });
  assert.deepEqual(clientTlsOptions({ fingerprint: `sha256:${PIN}` }), {
    caFiles: [],
    insecure: false,
    fingerprint: "ab".repeat(32),
  });
  assert.deepEqual(clientTlsOptions({ insecure: true }), { caFiles: [], insecure: true });
  assert.deepEqual(clientTlsOptions({ servername: "chat.example" }), {
    caFiles: [],
    insecure: false,
    serverName: "chat.example",
  });
});

Deno.test("clientTlsOptions() rejects contradictions and bad values", () => {
  usage(
    () => clientTlsOptions({ insecure: true, fingerprint: PIN }),
    /--insecure and --fingerprint/,
  );
  usage(() => clientTlsOptions({ insecure: true, ca: ["a.pem"] }), /--insecure and --ca/);
  usage(() => clientTlsOptions({ fingerprint: PIN, ca: ["a.pem"] }), /--fingerprint and --ca/);
  usage(
    () => clientTlsOptions({ fingerprint: "xyz" }),
    /^Invalid fingerprint "xyz".*\(--fingerprint\)$/,
  );
  usage(() => clientTlsOptions({ servername: "" }), /^Option --servername needs a value$/);
  usage(() => clientTlsOptions({ tls: true, unix: "/tmp/s" }), /cannot be combined with --unix/);
});
