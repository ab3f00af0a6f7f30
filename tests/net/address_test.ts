import assert from "node:assert/strict";
import {
  formatHostPort,
  isWildcardHost,
  parseHost,
  parsePort,
  parseTarget,
  splitHostPort,
  unbracket,
} from "../../lib/net/address.ts";

Deno.test("parsePort() accepts 1..65535 in plain decimal", () => {
  assert.equal(parsePort("1"), 1);
  assert.equal(parsePort("12345"), 12345);
  assert.equal(parsePort("65535"), 65535);
  assert.equal(parsePort("00080"), 80);
});

Deno.test("parsePort() rejects out-of-range and non-decimal ports, naming the value", () => {
  for (const bad of ["65536", "-1", "1.5", "80abc", "0x50", "", " 80", "1e3", "99999999"]) {
    assert.throws(
      () => parsePort(bad),
      (e: Error) => e instanceof RangeError && e.message.includes(`"${bad}"`),
      bad,
    );
  }
});

Deno.test("parsePort() allows port 0 only for listening", () => {
  assert.throws(() => parsePort("0"), /only allowed when listening/);
  assert.equal(parsePort("0", true), 0);
});

Deno.test("parseTarget() reads HOST:PORT, [v6]:PORT and unix:PATH", () => {
  assert.deepEqual(parseTarget("localhost:5432"), {
    transport: "tcp",
    host: "localhost",
    port: 5432,
  });
  assert.deepEqual(parseTarget("[::1]:80"), { transport: "tcp", host: "::1", port: 80 });
  assert.deepEqual(parseTarget("unix:/tmp/a.sock"), { transport: "unix", path: "/tmp/a.sock" });
  assert.throws(() => parseTarget("::1:80"), /Invalid target/);
  assert.throws(() => parseTarget("host"), /Invalid target/);
  assert.throws(() => parseTarget("host:0"), /Invalid port/);
  assert.throws(() => parseTarget("unix:"), /empty Unix socket path/);
});

Deno.test("formatHostPort() brackets IPv6 literals", () => {
  assert.equal(formatHostPort("::1", 80), "[::1]:80");
  assert.equal(formatHostPort("127.0.0.1", 80), "127.0.0.1:80");
  assert.equal(unbracket("[::1]"), "::1");
});

Deno.test("isWildcardHost() recognises every-interface binds", () => {
  assert.ok(isWildcardHost("0.0.0.0"));
  assert.ok(isWildcardHost("::"));
  assert.ok(isWildcardHost("[::]"));
  assert.ok(!isWildcardHost("127.0.0.1"));
});

Deno.test("parseHost() takes names and IP literals, and rejects malformed hosts quoting them", () => {
  assert.equal(parseHost("example.com"), "example.com");
  assert.equal(parseHost("[::1]"), "::1");
  assert.equal(parseHost("fe80::1%eth0"), "fe80::1%eth0");
  const cases: [string, RegExp][] = [
    ["a b", /^Invalid host "a b": expected a host name or IP address$/],
    ["[::1", /^Invalid host "\[::1": expected a host name/],
    ["[x]", /^Invalid host "\[x\]": expected an IPv6 address inside \[ \]$/],
    ["[::1]:80", /^Invalid host "\[::1\]:80": expected a host without a port/],
    ["", /^Invalid host "": expected a host name or IP address$/],
    ["tab\there", /^Invalid host "tab\\there"/],
    ["x".repeat(70_000), /^Invalid host "x{80}…": longer than 253 characters$/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseHost(text),
      (e: Error) => e instanceof RangeError && message.test(e.message),
      text.slice(0, 20),
    );
  }
});

Deno.test("splitHostPort() splits netcat-style HOST[:PORT] and leaves bare IPv6 whole", () => {
  assert.deepEqual(splitHostPort("h:80"), { host: "h", port: "80" });
  assert.deepEqual(splitHostPort("[::1]:80"), { host: "[::1]", port: "80" });
  assert.deepEqual(splitHostPort("[::1]"), { host: "[::1]" });
  assert.deepEqual(splitHostPort("::1"), { host: "::1" });
  assert.deepEqual(splitHostPort("h"), { host: "h" });
});
