import assert from "node:assert/strict";
import {
  checkRequest,
  contentSecurityPolicy,
  isLoopbackName,
  parseHostHeader,
} from "../../lib/web/web_origin.ts";

Deno.test("parseHostHeader() takes host[:port] apart and refuses anything else", () => {
  assert.deepEqual(parseHostHeader("127.0.0.1:8080"), { hostname: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseHostHeader("[::1]:80"), { hostname: "::1", port: 80 });
  assert.deepEqual(parseHostHeader("Chat.Example"), { hostname: "chat.example" });
  for (const bad of ["", "a b", "a:0", "a:65536", "a:x", "[::1", "user@host", "a/b", "a:1:2"]) {
    assert.equal(parseHostHeader(bad), null, bad);
  }
});

Deno.test("isLoopbackName() knows localhost and loopback addresses only", () => {
  for (const name of ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.9.9.9", "::1"]) {
    assert.ok(isLoopbackName(name), name);
  }
  for (const name of ["10.0.0.1", "::", "0.0.0.0", "evil.example", "localhost.evil.example"]) {
    assert.ok(!isLoopbackName(name), name);
  }
});

const facts = {
  host: "127.0.0.1:8080",
  origin: "http://127.0.0.1:8080",
  secure: false,
  loopbackOnly: true,
  upgrade: true,
};

Deno.test("checkRequest() lets the page's own origin upgrade", () => {
  assert.equal(checkRequest(facts), null);
  assert.equal(checkRequest({ ...facts, origin: null }), null, "no Origin: not a browser page");
  assert.equal(
    checkRequest({ ...facts, host: "localhost:8080", origin: "http://localhost:8080" }),
    null,
  );
  assert.equal(
    checkRequest({ ...facts, secure: true, origin: "https://127.0.0.1:8080" }),
    null,
  );
});

Deno.test("checkRequest() refuses another origin with 403", () => {
  for (
    const origin of [
      "http://evil.example",
      "http://127.0.0.1:8081",
      "https://127.0.0.1:8080",
      "null",
    ]
  ) {
    const problem = checkRequest({ ...facts, origin });
    assert.equal(problem?.status, 403, origin);
    assert.match(problem!.reason, /is not this page's/);
  }
  assert.equal(checkRequest({ ...facts, secure: true })?.status, 403, "http origin on https");
});

Deno.test("checkRequest() refuses a foreign Host on a loopback listener (DNS rebinding)", () => {
  const rebound = { ...facts, host: "evil.example:8080", origin: "http://evil.example:8080" };
  assert.equal(checkRequest(rebound)?.status, 403);
  assert.equal(checkRequest({ ...rebound, upgrade: false })?.status, 403, "the page too");
  assert.equal(checkRequest({ ...rebound, loopbackOnly: false }), null, "a LAN listener");
  assert.equal(checkRequest({ ...facts, host: null })?.status, 400);
  assert.equal(checkRequest({ ...facts, host: "a b" })?.status, 400);
});

Deno.test("checkRequest() checks Origin on the upgrade only", () => {
  assert.equal(checkRequest({ ...facts, upgrade: false, origin: "http://evil.example" }), null);
});

Deno.test("contentSecurityPolicy() allows only the page's own scripts, styles and socket", () => {
  const csp = contentSecurityPolicy("127.0.0.1:8080", false);
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /connect-src ws:\/\/127\.0\.0\.1:8080;/);
  assert.doesNotMatch(csp, /unsafe|\*/);
  assert.match(contentSecurityPolicy("localhost:1", true), /connect-src wss:\/\/localhost:1;/);
  assert.match(contentSecurityPolicy("a b; script-src *", false), /connect-src 'none';/);
  assert.match(contentSecurityPolicy(null, false), /connect-src 'none';/);
});
