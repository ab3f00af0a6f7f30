import assert from "node:assert/strict";
import { directedBroadcast, isBroadcastAddress } from "../../lib/net/broadcast.ts";
import { ipFamily } from "../../lib/net/ip.ts";
import { checkDatagramSize, maxPayload } from "../../lib/net/udp.ts";

Deno.test("directedBroadcast() sets the host bits of the interface's network", () => {
  assert.equal(directedBroadcast("192.168.1.7", "255.255.255.0"), "192.168.1.255");
  assert.equal(directedBroadcast("10.1.2.3", "255.0.0.0"), "10.255.255.255");
  assert.equal(directedBroadcast("172.16.5.9", "255.255.240.0"), "172.16.15.255");
  assert.equal(directedBroadcast("10.0.0.1", "255.255.255.254"), null);
  assert.equal(directedBroadcast("10.0.0.1", "255.255.255.255"), null);
  assert.equal(directedBroadcast("fe80::1", "ffff::"), null);
});

Deno.test("isBroadcastAddress() knows 255.255.255.255 and each interface's broadcast", () => {
  const interfaces = [
    { family: "IPv4", address: "127.0.0.1", netmask: "255.0.0.0" },
    { family: "IPv4", address: "192.0.2.2", netmask: "255.255.255.0" },
    { family: "IPv6", address: "::1", netmask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
  ];
  assert.equal(isBroadcastAddress("255.255.255.255", []), true);
  assert.equal(isBroadcastAddress("127.255.255.255", interfaces), true);
  assert.equal(isBroadcastAddress("192.0.2.255", interfaces), true);
  assert.equal(isBroadcastAddress("192.0.2.254", interfaces), false);
  assert.equal(isBroadcastAddress("127.0.0.1", interfaces), false);
});

Deno.test("checkDatagramSize() allows 65507 bytes over IPv4 and 65527 over IPv6", () => {
  const to = { host: "127.0.0.1", port: 9 };
  assert.equal(maxPayload(4), 65507);
  assert.equal(maxPayload(6), 65527);
  checkDatagramSize(0, to, 4);
  checkDatagramSize(65507, to, 4);
  assert.throws(
    () => checkDatagramSize(65508, to, 4),
    /^RangeError: Cannot send to "127\.0\.0\.1:9": datagram of 65508 bytes is too large \(at most 65507 bytes over IPv4\)$/,
  );
  checkDatagramSize(65527, { host: "::1", port: 9 }, 6);
  assert.throws(() => checkDatagramSize(65528, { host: "::1", port: 9 }, 6), /"\[::1\]:9"/);
});

Deno.test("ipFamily() tells IPv4 and IPv6 literals from host names", () => {
  assert.equal(ipFamily("127.0.0.1"), 4);
  assert.equal(ipFamily("::1"), 6);
  assert.equal(ipFamily("fe80::1%eth0"), 6);
  assert.equal(ipFamily("localhost"), null);
  assert.equal(ipFamily("1.2.3.example"), null);
});
