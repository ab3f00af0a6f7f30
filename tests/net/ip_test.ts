import assert from "node:assert/strict";
import { ipFamily, isMulticast, parseIp } from "../../lib/net/ip.ts";

const ip = (text: string) => {
  const bytes = parseIp(text);
  assert.ok(bytes, text);
  return bytes;
};

Deno.test("parseIp() reads IPv4 as IPv4-mapped IPv6 and IPv6 in all its spellings", () => {
  assert.deepEqual(ip("1.2.3.4"), ip("::ffff:1.2.3.4"));
  assert.deepEqual(ip("::ffff:1.2.3.4"), ip("::ffff:102:304"));
  assert.deepEqual(ip("::1"), ip("0:0:0:0:0:0:0:1"));
  assert.deepEqual(ip("[::1]"), ip("::1"));
  assert.deepEqual(ip("fe80::1%eth0"), ip("fe80::1"));
  assert.deepEqual(ip("::"), new Uint8Array(16));
  for (
    const bad of ["", "1.2.3", "1.2.3.256", "01.2.3.4", "1::2::3", "12345::", "a", "1.2.3.4::"]
  ) {
    assert.equal(parseIp(bad), null, bad);
  }
  assert.equal(parseIp("1:2:3:4:5:6:7:8:9"), null);
  assert.equal(parseIp("1:2:3:4:5:6:7"), null);
});

Deno.test("ipFamily() and isMulticast() read literals strictly", () => {
  assert.equal(ipFamily("192.168.1.7"), 4);
  assert.equal(ipFamily("999.1.1.1"), null);
  assert.equal(ipFamily("[::1]"), 6);
  assert.equal(ipFamily("example.com"), null);
  assert.equal(isMulticast("224.0.0.251"), true);
  assert.equal(isMulticast("239.255.255.255"), true);
  assert.equal(isMulticast("240.0.0.1"), false);
  assert.equal(isMulticast("ff02::1"), true);
  assert.equal(isMulticast("fe80::1"), false);
  assert.equal(isMulticast("ff.example"), false);
});
