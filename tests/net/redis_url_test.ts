import assert from "node:assert/strict";
import { describeRedis, parseRedisUrl, redact } from "../../lib/net/redis_url.ts";

Deno.test("parseRedisUrl() reads host, port, credentials and database", () => {
  assert.deepEqual(parseRedisUrl("redis://127.0.0.1"), {
    hostname: "127.0.0.1",
    port: 6379,
    db: 0,
  });
  assert.deepEqual(parseRedisUrl("redis://:s%40cret@[::1]:6380/2"), {
    hostname: "::1",
    port: 6380,
    db: 2,
    password: "s@cret",
  });
  assert.deepEqual(parseRedisUrl("redis://chat:pw@redis.internal:7000"), {
    hostname: "redis.internal",
    port: 7000,
    db: 0,
    username: "chat",
    password: "pw",
  });
});

Deno.test("parseRedisUrl() says what is wrong, never showing the password", () => {
  assert.throws(() => parseRedisUrl("127.0.0.1:6379"), /Invalid Redis URL "127\.0\.0\.1:6379"/);
  assert.throws(() => parseRedisUrl("rediss://h"), /TLS \(rediss:\/\/\) is not supported/);
  assert.throws(() => parseRedisUrl("http://h"), /use redis:\/\//);
  assert.throws(() => parseRedisUrl("redis://h/x"), /database number/);
  assert.throws(() => parseRedisUrl("redis://h:99999"), /Invalid Redis URL/);
  assert.throws(() => parseRedisUrl("redis://u@h"), /a user needs a password/);
  assert.throws(
    () => parseRedisUrl("redis://u:topsecret@h/x"),
    (error: Error) => error instanceof SyntaxError && !error.message.includes("topsecret"),
  );
  assert.equal(redact("redis://u:pw@h:1"), "redis://u:***@h:1");
  assert.equal(describeRedis(parseRedisUrl("redis://:pw@[::1]:7/3")), "redis://[::1]:7/3");
});
