import assert from "node:assert/strict";
import { median, range, ratio, rotation } from "../../bench/stats.ts";
import { formatTable } from "../../bench/report.ts";
import { isListening } from "../../bench/net.ts";

Deno.test("median() takes the middle value, or the mean of the middle two", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.deepEqual(range([3, 1, 2]), [1, 3]);
});

Deno.test("ratio() divides sockchat by the peer and refuses missing values", () => {
  assert.equal(ratio(300, 200), 1.5);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.ok(Number.isNaN(ratio(NaN, 2)));
});

Deno.test("rotation() changes which tool goes first every round", () => {
  assert.deepEqual(rotation(["a", "b", "c"], 0), ["a", "b", "c"]);
  assert.deepEqual(rotation(["a", "b", "c"], 1), ["b", "c", "a"]);
  assert.deepEqual(rotation(["a", "b", "c"], 5), ["c", "a", "b"]);
});

Deno.test("formatTable() shows medians, ratios against sockchat and skipped peers", () => {
  const table = formatTable([{
    caseId: "x",
    name: "file",
    unit: "MB/s",
    better: "higher",
    tools: [
      { name: "sockchat", note: "pipe", subject: true, samples: [300, 100, 200] },
      { name: "nc", note: "nc -l", subject: false, samples: [100] },
      {
        name: "ncat",
        note: "ncat",
        subject: false,
        samples: [],
        skipped: "skipped: ncat not installed",
      },
    ],
  }]);
  assert.match(table, /sockchat\s+pipe\s+200\s+100–300 \(n=3\)/);
  assert.match(table, /nc\s+nc -l\s+100\s+100–100 \(n=1\)\s+2\.00×/);
  assert.match(table, /ncat\s+ncat\s+-\s+-\s+skipped: ncat not installed/);
});

Deno.test("isListening() reads LISTEN sockets from /proc/net/tcp tables", () => {
  const table = [
    "  sl  local_address rem_address   st tx_queue",
    "   0: 0100007F:A407 00000000:0000 0A 00000000:00000000",
    "   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000",
  ].join("\n");
  assert.equal(isListening(0xa407, [table]), true);
  assert.equal(isListening(0x1f90, [table]), false, "an established socket is not listening");
  assert.equal(isListening(1234, [table]), false);
});
