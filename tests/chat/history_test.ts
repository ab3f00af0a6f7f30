import assert from "node:assert/strict";
import { History } from "../../lib/chat/history.ts";

Deno.test("History keeps the last N lines, oldest first", () => {
  const history = new History(3);
  assert.deepEqual(history.lines(), []);
  for (const line of ["a", "b", "c", "d", "e"]) history.add(line);
  assert.deepEqual(history.lines(), ["c", "d", "e"]);
  const none = new History(0);
  none.add("x");
  assert.deepEqual(none.lines(), []);
  assert.throws(() => new History(-1), RangeError);
});
