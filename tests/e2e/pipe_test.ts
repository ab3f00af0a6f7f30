import assert from "node:assert/strict";
import { randomBytes, sha256 } from "../_helpers/bytes.ts";
import { spawnCli } from "../_helpers/cli.ts";

Deno.test("client ↔ server --mode pipe moves 16 MiB each way byte-exactly", async () => {
  const up = randomBytes(16 << 20);
  const down = randomBytes(16 << 20);
  await using server = spawnCli(["server", "--mode", "pipe", "--port", "0"], { stdin: "piped" });
  const { port } = await server.listening();
  await using client = spawnCli(["client", "127.0.0.1", String(port)], { stdin: "piped" });
  await Promise.all([
    server.write(down).then(() => server.closeStdin()),
    client.write(up).then(() => client.closeStdin()),
  ]);
  assert.equal(await client.exit(30_000), 0, client.stderr);
  assert.equal(await server.exit(30_000), 0, server.stderr);
  assert.equal(sha256(server.stdout), sha256(up));
  assert.equal(sha256(client.stdout), sha256(down));
});
