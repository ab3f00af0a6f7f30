/**
 * Never loses data, never lies (TCP): a slow reader, a receiver stopped with SIGSTOP for
 * 2 s and a receiver killed mid-transfer, client → server and server → client.
 * @module
 */

import { checkDelivery, type Receiver, type Way } from "../_helpers/transfer.ts";

const RECEIVERS: Receiver[] = ["slow-reader", "stopped", "killed"];
const WAYS: Way[] = ["up", "down"];

for (const receiver of RECEIVERS) {
  for (const way of WAYS) {
    const direction = way === "up" ? "client → server" : "server → client";
    Deno.test(
      `TCP ${direction}, ${receiver}: ${
        receiver === "killed" ? "the sender exits 1 with one line" : "every byte arrives, exit 0"
      }`,
      async () => {
        await checkDelivery("tcp", way, receiver);
      },
    );
  }
}
