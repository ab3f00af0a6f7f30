import assert from "node:assert/strict";
import { PeerLimit } from "../../lib/net/peer_limit.ts";

Deno.test("PeerLimit: an address gets at most max slots; releasing frees one", () => {
  const limit = new PeerLimit(2);
  assert.equal(limit.take("127.0.0.2"), true);
  assert.equal(limit.take("127.0.0.2"), true);
  assert.equal(limit.take("127.0.0.2"), false);
  assert.equal(limit.take("127.0.0.3"), true, "other addresses are not affected");
  limit.release("127.0.0.2");
  assert.equal(limit.take("127.0.0.2"), true);
  assert.equal(limit.count("127.0.0.2"), 2);
});

Deno.test("PeerLimit: released addresses leave no entry behind (no growth under churn)", () => {
  const limit = new PeerLimit(4);
  for (let i = 0; i < 10_000; i++) {
    const address = `10.0.${i >> 8 & 255}.${i & 255}`;
    assert.ok(limit.take(address));
    limit.release(address);
  }
  assert.equal(limit.addresses, 0);
});
