import assert from "node:assert/strict";
import { cidrContains, isAllowed, parseCidr } from "../../lib/net/cidr.ts";
import { parseIp } from "../../lib/net/ip.ts";

const ip = (text: string) => {
  const bytes = parseIp(text);
  assert.ok(bytes, text);
  return bytes;
};
const within = (cidr: string, address: string) => cidrContains(parseCidr(cidr), ip(address));

Deno.test("cidrContains() matches IPv4 networks, also for mapped peers", () => {
  assert.ok(within("10.0.0.0/8", "10.200.3.4"));
  assert.ok(!within("10.0.0.0/8", "11.0.0.1"));
  assert.ok(within("10.0.0.0/8", "::ffff:10.9.9.9"));
  assert.ok(within("192.168.1.0/25", "192.168.1.127"));
  assert.ok(!within("192.168.1.0/25", "192.168.1.128"));
  assert.ok(within("127.0.0.1", "127.0.0.1"));
  assert.ok(!within("127.0.0.1", "127.0.0.2"));
  assert.ok(within("0.0.0.0/0", "8.8.8.8"));
  assert.ok(!within("0.0.0.0/0", "::1")); // all IPv4, not IPv6
});

Deno.test("cidrContains() matches IPv6 networks", () => {
  assert.ok(within("::1", "::1"));
  assert.ok(within("fe80::/10", "febf::1"));
  assert.ok(!within("fe80::/10", "fec0::1"));
  assert.ok(within("::/0", "1.2.3.4"));
  assert.ok(within("::ffff:0:0/96", "127.0.0.1"));
  assert.ok(within("2001:db8::/32", "2001:db8:ffff::1"));
});

Deno.test("parseCidr() rejects bad networks with one clear message", () => {
  assert.throws(
    () => parseCidr("10.0.0.0/33"),
    /Invalid network "10.0.0.0\/33": prefix length must be 0 to 32/,
  );
  assert.throws(() => parseCidr("::/129"), /prefix length must be 0 to 128/);
  assert.throws(() => parseCidr("10.0.0/8"), /expected an IP address or CIDR/);
  assert.throws(() => parseCidr("example.com"), /expected an IP address or CIDR/);
  assert.throws(() => parseCidr("10.0.0.0/x"), /prefix length/);
});

Deno.test("isAllowed(): deny wins, a non-empty allow list must match", () => {
  const rules = (allow: string[], deny: string[]) => ({
    allow: allow.map(parseCidr),
    deny: deny.map(parseCidr),
  });
  assert.ok(isAllowed(rules([], []), "1.2.3.4"));
  assert.ok(isAllowed(rules([], []), "unix client"));
  assert.ok(!isAllowed(rules(["127.0.0.0/8"], []), "10.0.0.1"));
  assert.ok(isAllowed(rules(["127.0.0.0/8"], []), "127.0.0.1"));
  assert.ok(!isAllowed(rules(["127.0.0.0/8"], ["127.0.0.1"]), "127.0.0.1"));
  assert.ok(isAllowed(rules(["127.0.0.0/8"], ["127.0.0.1"]), "127.0.0.2"));
  assert.ok(!isAllowed(rules([], ["::1"]), "::1"));
  assert.ok(isAllowed(rules([], ["::1"]), "127.0.0.1"));
  assert.ok(!isAllowed(rules(["::1"], []), "unix client"));
});
