import assert from "node:assert/strict";
import { NICK_PALETTE, NickColors } from "../../lib/output/nick_colors.ts";
import { STABLE_CODES, stableColorCode } from "../../lib/output/stable_color.js";

Deno.test("NICK_PALETTE is the stable palette in another order", () => {
  assert.deepEqual([...NICK_PALETTE].sort(), [...STABLE_CODES].sort());
});

Deno.test("NickColors gives the first N members N distinct colours, lowest free first", () => {
  const colors = new NickColors();
  const codes = NICK_PALETTE.map((_, i) => colors.colorOf(`m${i}`));
  assert.deepEqual(codes, [...NICK_PALETTE]);
  assert.equal(colors.colorOf("M0"), NICK_PALETTE[0], "case does not matter");
  // One more than the palette holds shares: its stable colour.
  assert.equal(colors.colorOf("crowd"), stableColorCode("crowd"));
  colors.left("m5");
  assert.equal(colors.colorOf("late"), NICK_PALETTE[5]);
  colors.renamed("m2", "two");
  assert.equal(colors.colorOf("two"), NICK_PALETTE[2]);
  colors.left("two");
  assert.equal(colors.colorOf("next"), NICK_PALETTE[2]);
});

Deno.test("NickColors tells apart the nicknames a hash put in one colour", () => {
  // bob and netcat, both bright yellow by their stable hash in issue 16's room of four.
  const colors = new NickColors();
  const room = ["alice", "bob", "carol", "netcat"];
  assert.equal(new Set(room.map((nick) => colors.colorOf(nick))).size, room.length);
});
