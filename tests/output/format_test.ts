import assert from "node:assert/strict";
import { formatBytes } from "../../lib/output/format.ts";

Deno.test("formatBytes() switches to binary units from 1 KiB", () => {
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
});
