import assert from "node:assert/strict";
import { makeColors } from "../../lib/output/color.ts";
import { Reporter } from "../../lib/output/reporter.ts";
import { Transcript } from "../../lib/output/transcript.ts";
import { OrderedWriter } from "../../lib/output/writer.ts";

function output(json: boolean) {
  const writes: string[] = [];
  const stdout = new OrderedWriter({
    write: (data) => {
      writes.push(new TextDecoder().decode(data));
      return Promise.resolve(data.length);
    },
  });
  const reporter = new Reporter({
    json,
    verbosity: "normal",
    colors: makeColors(false),
    stdout,
    stderrLine: () => {},
  });
  const io = { reporter, stdout, stdoutIsTerminal: false, stdoutColors: makeColors(false) };
  return { transcript: new Transcript(io), stdout, writes };
}

Deno.test("Transcript writes what arrives in one tick in one write, as text", async () => {
  const { transcript, stdout, writes } = output(false);
  transcript.event(
    { type: "joined", nick: "guest1", peer: "127.0.0.1:1", transport: "tcp" },
    new Date(),
  );
  transcript.event(
    { type: "message", nick: "guest1", peer: "127.0.0.1:1", text: "hi" },
    new Date(),
  );
  transcript.operatorLine("* a reply for the operator");
  await Promise.resolve();
  await stdout.flush();
  assert.deepEqual(writes, [
    "* guest1 joined from 127.0.0.1:1 (tcp)\n<guest1> hi\n* a reply for the operator\n",
  ]);
});

Deno.test("Transcript emits events with --json", async () => {
  const { transcript, stdout, writes } = output(true);
  transcript.event({ type: "message", nick: "bob", peer: "127.0.0.1:2", text: "yo" }, new Date());
  await Promise.resolve();
  await stdout.flush();
  const events = writes.join("").trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(events.map((e) => [e.type, e.nick, e.text]), [["message", "bob", "yo"]]);
});
