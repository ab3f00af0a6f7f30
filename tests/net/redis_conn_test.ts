import assert from "node:assert/strict";
import { RedisConn, RedisConnError } from "../../lib/net/redis_conn.ts";
import { RespError } from "../../lib/net/resp.ts";

/**
 * A one-connection Redis stand-in on loopback: `answer` maps each command (as an array of
 * strings) to raw RESP, or `null` to say nothing; every command is recorded.
 */
function stub(answer: (args: string[]) => string | null) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[][] = [];
  let conn: Deno.Conn | undefined;
  const served = (async () => {
    conn = await listener.accept();
    const buf = new Uint8Array(65536);
    let text = "";
    try {
      while (true) {
        const n = await conn.read(buf);
        if (n === null) break;
        text += new TextDecoder().decode(buf.subarray(0, n));
        let out = "";
        // Commands arrive as arrays of bulk strings; parse whole ones only.
        while (true) {
          const parsed = parseCommand(text);
          if (parsed === null) break;
          text = text.slice(parsed.used);
          seen.push(parsed.args);
          out += answer(parsed.args) ?? "";
        }
        if (out !== "") await conn.write(new TextEncoder().encode(out));
      }
    } catch {
      // closed by the test
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    seen,
    async close() {
      listener.close();
      try {
        conn?.close();
      } catch {
        // closed already
      }
      await served;
    },
  };
}

function parseCommand(text: string): { args: string[]; used: number } | null {
  const lines = text.split("\r\n");
  const count = Number(lines[0]?.slice(1));
  if (!lines[0]?.startsWith("*") || lines.length < 1 + count * 2) return null;
  const args: string[] = [];
  for (let i = 0; i < count; i++) args.push(lines[2 + i * 2]!);
  const used = lines.slice(0, 1 + count * 2).join("\r\n").length + 2;
  return used <= text.length ? { args, used } : null;
}

const address = (port: number, extra = {}) => ({ hostname: "127.0.0.1", port, db: 0, ...extra });

Deno.test("RedisConn logs in, selects the database and pipelines replies in order", async () => {
  const server = stub((args) => {
    if (args[0] === "ECHO") return `$${args[1]!.length}\r\n${args[1]}\r\n`;
    if (args[0] === "BAD") return "-ERR nope\r\n";
    return "+OK\r\n";
  });
  const redis = await RedisConn.open(address(server.port, { username: "u", password: "p", db: 2 }));
  const replies = await Promise.all(
    Array.from({ length: 50 }, (_, i) => redis.command(["ECHO", `v${i}`])),
  );
  assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => `v${i}`));
  await assert.rejects(
    redis.command(["BAD"]),
    (e: unknown) => e instanceof RespError && e.code === "ERR",
  );
  assert.deepEqual(server.seen.slice(0, 2), [["AUTH", "u", "p"], ["SELECT", "2"]]);
  redis.close();
  await assert.rejects(redis.command(["ECHO", "x"]), RedisConnError);
  await server.close();
});

Deno.test("RedisConn fails every waiting command once Redis stops answering", async () => {
  const server = stub((args) => (args[0] === "PING" ? null : "+OK\r\n"));
  const redis = await RedisConn.open(address(server.port), { replyTimeoutMs: 100 });
  const waiting = [redis.command(["PING"]), redis.command(["PING"])];
  for (const reply of waiting) {
    await assert.rejects(
      reply,
      (e: unknown) => e instanceof RedisConnError && /did not answer/.test((e as Error).message),
    );
  }
  assert.equal(redis.isClosed, true);
  assert.ok((await redis.closed) instanceof RedisConnError);
  await server.close();
});

Deno.test("RedisConn: a wrong password is the server's error, and the connection is closed", async () => {
  const server = stub(() => "-WRONGPASS invalid username-password pair\r\n");
  await assert.rejects(
    RedisConn.open(address(server.port, { password: "x" })),
    (e: unknown) => e instanceof RespError && e.code === "WRONGPASS",
  );
  await server.close();
});
