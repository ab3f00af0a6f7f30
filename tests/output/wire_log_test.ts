import assert from "node:assert/strict";
import { utf8 } from "../_helpers/bytes.ts";
import { WireLog } from "../../lib/output/wire_log.ts";

function log(hex: boolean): { lines: () => string; log: WireLog } {
  let text = "";
  const at = new Date("2026-12-08T02:30:00.123Z");
  return {
    lines: () => text,
    log: new WireLog({ hex, write: (block) => (text += block), now: () => at }),
  };
}

Deno.test("WireLog --hex: a header per chunk, rows addressed by each direction's own offset", () => {
  const { log: wire, lines } = log(true);
  const conn = wire.connection("127.0.0.1:9");
  conn.chunk(">", utf8("hello"));
  conn.chunk("<", utf8("HI"));
  conn.chunk(">", utf8("!"));
  conn.chunk(">", new Uint8Array(0)); // nothing moved: nothing logged
  conn.end(">");
  conn.end("<");
  assert.equal(
    lines(),
    "> 2026-12-08T02:30:00.123Z 127.0.0.1:9 offset=0 length=5\n" +
      "00000000  68 65 6c 6c 6f                                    |hello|\n" +
      "< 2026-12-08T02:30:00.123Z 127.0.0.1:9 offset=0 length=2\n" +
      "00000000  48 49                                             |HI|\n" +
      "> 2026-12-08T02:30:00.123Z 127.0.0.1:9 offset=5 length=1\n" +
      "00000005  21                                                |!|\n" +
      "> 2026-12-08T02:30:00.123Z 127.0.0.1:9 end offset=6\n" +
      "< 2026-12-08T02:30:00.123Z 127.0.0.1:9 end offset=2\n",
  );
});

Deno.test("WireLog text: lines sanitised, a chunk ending mid-line still ends its line", () => {
  const { log: wire, lines } = log(false);
  const conn = wire.connection("peer");
  conn.chunk("<", utf8("one\r\n\x1b[2Ktwo"));
  conn.chunk("<", utf8(" three\n"));
  assert.equal(
    lines(),
    "< 2026-12-08T02:30:00.123Z peer offset=0 length=12\n" +
      "one^M\n" +
      "^[[2Ktwo\n" +
      "< 2026-12-08T02:30:00.123Z peer offset=12 length=7\n" +
      " three\n",
  );
});

Deno.test("WireLog text: a character split across chunks is decoded whole, per direction", () => {
  const { log: wire, lines } = log(false);
  const conn = wire.connection("peer");
  const euro = utf8("€\n"); // e2 82 ac 0a
  conn.chunk(">", euro.subarray(0, 2));
  conn.chunk("<", utf8("x\n"));
  conn.chunk(">", euro.subarray(2));
  conn.chunk("<", new Uint8Array([0xff, 0x0a]));
  conn.end(">");
  const body = lines().split("\n").filter((line) => !/^[<>] /.test(line));
  assert.deepEqual(body, ["x", "€", "\uFFFD", ""]);
});

Deno.test("WireLog: a direction's end flushes an unfinished character as U+FFFD", () => {
  const { log: wire, lines } = log(false);
  const conn = wire.connection("peer");
  conn.chunk("<", new Uint8Array([0x41, 0xe2, 0x82]));
  conn.end("<");
  assert.equal(
    lines(),
    "< 2026-12-08T02:30:00.123Z peer offset=0 length=3\nA\n" +
      "< 2026-12-08T02:30:00.123Z peer end offset=3\n\uFFFD\n",
  );
});
