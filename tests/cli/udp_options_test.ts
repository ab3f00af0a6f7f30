import assert from "node:assert/strict";
import { outputFormat, parseMulticastGroup, sendOptions } from "../../lib/cli/udp_command.ts";

Deno.test("outputFormat(): --json, then --hex, then --raw, then terminal or plain lines", () => {
  assert.equal(outputFormat({ json: true }, true), "json");
  assert.equal(outputFormat({ hex: true }, false), "hex");
  assert.equal(outputFormat({ raw: true }, true), "raw");
  assert.equal(outputFormat({}, true), "terminal");
  assert.equal(outputFormat({}, false), "lines");
  assert.throws(() => outputFormat({ raw: true, hex: true }, false), /--raw and --hex/);
  assert.throws(() => outputFormat({ json: true, hex: true }, false), /--json and --hex/);
});

Deno.test("parseMulticastGroup() accepts 224.0.0.0/4 only", () => {
  assert.equal(parseMulticastGroup("224.0.0.1"), "224.0.0.1");
  assert.equal(parseMulticastGroup("239.255.255.255"), "239.255.255.255");
  for (const bad of ["223.255.255.255", "240.0.0.1", "239.1.1.256", "ff02::1", "x"]) {
    assert.throws(() => parseMulticastGroup(bad), /^UsageError: Invalid --join/);
  }
});

Deno.test("sendOptions() joins MESSAGE words with single spaces and reads defaults", () => {
  const options = sendOptions(
    { host: "[::1]", port: "9", count: "1", interval: "0" },
    ["a", "b c"],
    false,
  );
  assert.equal(new TextDecoder().decode(options.message), "a b c");
  assert.equal(options.host, "::1");
  assert.equal(options.count, 1);
  assert.equal(options.intervalMs, 0);
  assert.equal(options.replyFormat, "lines");
  const stdin = sendOptions({ host: "h", port: "9", count: "0", interval: "1s" }, [], true);
  assert.equal(stdin.message, undefined);
  assert.equal(stdin.count, 0);
  assert.equal(stdin.intervalMs, 1000);
});

Deno.test("sendOptions(): --raw input with a --hex reply is allowed", () => {
  const options = sendOptions(
    { host: "h", port: "53", count: "1", interval: "0", raw: true, hex: true, waitReply: "2s" },
    [],
    false,
  );
  assert.equal(options.raw, true);
  assert.equal(options.replyFormat, "hex");
  assert.equal(options.waitReplyMs, 2000);
});
