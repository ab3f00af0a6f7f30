/**
 * Never loses data, never lies (UNIX): a slow reader, a receiver stopped with SIGSTOP for
 * 2 s and a receiver killed mid-transfer, client → server and server → client.
 * @module
 */

import { defineDeliveryTests } from "../_helpers/transfer.ts";

defineDeliveryTests("unix");
