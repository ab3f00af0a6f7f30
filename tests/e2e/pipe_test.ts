import { pipeExchange } from "../_helpers/pipe_exchange.ts";

Deno.test("client ↔ server --mode pipe moves 16 MiB each way byte-exactly", async () => {
  await pipeExchange({ size: 16 << 20 });
});
