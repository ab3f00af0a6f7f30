import assert from "node:assert/strict";
import { type ClientId, type Delivery, Room, type RoomOutput } from "../../lib/chat/room.ts";

function room(historySize = 20): Room {
  return new Room({
    operatorName: "server",
    historySize,
    maxLineBytes: 100,
    now: () => new Date(0),
  });
}

/** The lines client `id` receives from `out`, given who is connected. */
function linesFor(out: RoomOutput, id: ClientId | "operator"): string[] {
  return out.deliveries.filter((d: Delivery) =>
    d.to === id ||
    (d.to === "all" && id !== "operator" && d.except !== id && !out.disconnect.includes(id))
  ).map((d) => d.line);
}

Deno.test("Room.join() greets the newcomer with its name and tells the others", () => {
  const r = room();
  const a = r.join("127.0.0.1:1000");
  assert.equal(a.id, 1);
  assert.deepEqual(linesFor(a.output, a.id), [
    "* welcome, you are guest1 (1 here). /nick NAME renames you, /help lists commands.",
  ]);
  const b = r.join("127.0.0.1:1001", "web");
  assert.deepEqual(linesFor(b.output, a.id), ["* guest2 joined"]);
  assert.match(linesFor(b.output, b.id)[0]!, /you are guest2 \(2 here\)/);
  assert.deepEqual(b.output.events, [
    { type: "joined", nick: "guest2", peer: "127.0.0.1:1001", transport: "web" },
  ]);
});

Deno.test("Room never hands out a default nickname twice", () => {
  const r = room();
  const a = r.join("p1");
  r.leave(a.id, "eof");
  const b = r.join("p2");
  assert.equal(r.nickOf(b.id), "guest2");
  const c = r.join("p3");
  assert.equal(r.nickOf(c.id), "guest3");
});

Deno.test("Room attributes a message to its sender and sends it to everyone else", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  r.line(a.id, "/nick alice");
  const out = r.line(a.id, "hello there");
  assert.deepEqual(linesFor(out, b.id), ["<alice> hello there"]);
  assert.deepEqual(linesFor(out, a.id), []);
  assert.deepEqual(out.events, [{
    type: "message",
    nick: "alice",
    peer: "pa",
    text: "hello there",
  }]);
});

Deno.test("Room neutralises forged lines and escape sequences before anyone sees them", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  assert.deepEqual(linesFor(r.line(a.id, "hi\r<bob> fake"), b.id), ["<guest1> hi^M<bob> fake"]);
  assert.deepEqual(linesFor(r.line(a.id, "x\n<bob> fake"), b.id), ["<guest1> x^J<bob> fake"]);
  assert.deepEqual(linesFor(r.line(a.id, "\x1b[2K\x1b[G<bob> hi"), b.id), [
    "<guest1> ^[[2K^[[G<bob> hi",
  ]);
  assert.deepEqual(linesFor(r.line(a.id, "abc\b\b\b\b\b\b\b"), b.id), [
    "<guest1> abc^H^H^H^H^H^H^H",
  ]);
  assert.deepEqual(linesFor(r.line(a.id, "\u202Egnp.exe"), b.id), ["<guest1> \\u202Egnp.exe"]);
  const out = r.line(a.id, "\x1b]0;title\x07");
  assert.equal((out.events[0] as { text: string }).text, "^[]0;title^G");
});

Deno.test("Room ignores blank lines", () => {
  const r = room();
  const a = r.join("pa");
  r.join("pb");
  assert.deepEqual(r.line(a.id, "").deliveries, []);
  assert.deepEqual(r.line(a.id, "   ").deliveries, []);
});

Deno.test("Room /nick renames, tells everyone, and is unique ignoring case", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  const out = r.line(a.id, "/nick Alice");
  assert.deepEqual(linesFor(out, a.id), ["* guest1 is now known as Alice"]);
  assert.deepEqual(linesFor(out, b.id), ["* guest1 is now known as Alice"]);
  assert.deepEqual(out.events, [{ type: "renamed", nick: "Alice", oldNick: "guest1", peer: "pa" }]);
  const taken = r.line(b.id, "/nick alice");
  assert.deepEqual(linesFor(taken, b.id), [
    '* cannot change your nickname to "alice": that nickname is taken',
  ]);
  assert.deepEqual(linesFor(taken, a.id), []);
  assert.deepEqual(linesFor(r.line(a.id, "/nick ALICE"), b.id), [
    "* Alice is now known as ALICE",
  ]);
});

Deno.test("Room /nick rejections say why", () => {
  const r = room();
  const a = r.join("pa");
  const reply = (text: string) => linesFor(r.line(a.id, text), a.id)[0];
  assert.equal(reply("/nick"), "* usage: /nick NAME (you are guest1)");
  assert.match(reply("/nick a".padEnd(30, "b"))!, /too long: at most 20 characters$/);
  assert.match(reply("/nick al ice")!, /"al ice": use only letters A-Z, digits, _ and -/);
  assert.match(reply("/nick 9lives")!, /starting with a letter/);
  assert.match(reply("/nick b\x1b[31m")!, /"b\^\[\[31m": use only/);
  assert.match(reply("/nick guest7")!, /names like guestN are reserved for newcomers/);
  assert.match(reply("/nick SERVER")!, /that nickname is taken/);
  assert.equal(reply("/nick guest1"), "* you are already guest1");
  assert.equal(r.nickOf(a.id), "guest1");
});

Deno.test("Room /who lists everyone, marks you, and names the operator", () => {
  const r = room();
  const a = r.join("pa");
  r.join("pb");
  assert.deepEqual(linesFor(r.line(a.id, "/who"), a.id), [
    "* 2 here: guest1 (you), guest2; operator: server",
  ]);
});

Deno.test("Room /me is an action line that cannot pass for a notice", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  const out = r.line(a.id, "/me waves");
  assert.deepEqual(linesFor(out, b.id), ["** guest1 waves"]);
  assert.deepEqual(out.events, [
    { type: "message", nick: "guest1", peer: "pa", text: "waves", action: true },
  ]);
  assert.deepEqual(linesFor(r.line(a.id, "/me"), a.id), ["* usage: /me ACTION"]);
});

Deno.test("Room /msg is private: only the receiver gets it, the sender a confirmation", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  const c = r.join("pc");
  r.line(b.id, "/nick bob");
  const out = r.line(a.id, "/msg BOB psst secret");
  assert.deepEqual(linesFor(out, b.id), ["*guest1* psst secret"]);
  assert.deepEqual(linesFor(out, a.id), ["-> *bob* psst secret"]);
  assert.deepEqual(linesFor(out, c.id), []);
  assert.deepEqual(out.events, [
    { type: "message", nick: "guest1", peer: "pa", text: "psst secret", to: "bob" },
  ]);
  assert.deepEqual(linesFor(r.line(a.id, "/msg nobody hi"), a.id), [
    '* no one here is called "nobody"',
  ]);
  assert.deepEqual(linesFor(r.line(a.id, "/msg bob"), a.id), ["* usage: /msg NICK TEXT"]);
  assert.deepEqual(linesFor(r.line(a.id, "/msg guest1 me"), a.id), [
    "* that is you: /msg sends to someone else",
  ]);
  assert.deepEqual(linesFor(r.operatorLine("/msg server x"), "operator"), [
    "* that is you: /msg sends to someone else",
  ]);
});

Deno.test("Room unknown commands are answered only to the sender; // escapes a slash", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  const out = r.line(a.id, "/dance now");
  assert.deepEqual(linesFor(out, a.id), ['* unknown command "/dance": /help lists commands']);
  assert.deepEqual(linesFor(out, b.id), []);
  assert.deepEqual(linesFor(r.line(a.id, "//dance"), b.id), ["<guest1> /dance"]);
  assert.ok(linesFor(r.line(a.id, "/help"), a.id).length >= 7);
  assert.deepEqual(linesFor(r.line(a.id, "/help"), b.id), []);
});

Deno.test("Room /quit says bye, tells the others, and disconnects the sender", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  const out = r.line(a.id, "/quit see you");
  assert.deepEqual(out.disconnect, [a.id]);
  assert.deepEqual(linesFor(out, a.id), ["* bye"]);
  assert.deepEqual(linesFor(out, b.id), ["* guest1 left (see you)"]);
  assert.deepEqual(out.events, [
    { type: "left", nick: "guest1", peer: "pa", reason: "quit", text: "see you" },
  ]);
  assert.equal(r.size, 1);
  assert.deepEqual(r.leave(a.id, "eof").deliveries, []); // leaving twice is a no-op
});

Deno.test("Room leave notices name the reason", () => {
  const r = room();
  const ids = [1, 2, 3, 4, 5].map((n) => r.join(`p${n}`).id);
  const notice = (id: number, reason: Parameters<Room["leave"]>[1], detail?: string) =>
    r.leave(id, reason, detail).deliveries[0]?.line;
  assert.equal(notice(ids[0]!, "eof"), "* guest1 left");
  assert.equal(notice(ids[1]!, "reset"), "* guest2 left (connection lost)");
  assert.equal(notice(ids[2]!, "idle", "5 s"), "* guest3 was disconnected (idle for 5 s)");
  assert.match(notice(ids[3]!, "slow")!, /guest4 was disconnected \(not reading/);
  assert.equal(notice(ids[4]!, "shutdown"), undefined);
});

Deno.test("Room replays the last N messages to a newcomer between markers, then greets it", () => {
  const r = room(2);
  const a = r.join("pa");
  r.line(a.id, "one");
  r.line(a.id, "/me two");
  r.line(a.id, "/msg server private");
  r.line(a.id, "/nick alice");
  r.line(a.id, "three");
  const b = r.join("pb");
  const lines = linesFor(b.output, b.id);
  assert.deepEqual(lines.slice(0, 4), [
    "-- history --",
    "** guest1 two",
    "<alice> three",
    "-- now --",
  ]);
  assert.match(lines[4]!, /^\* welcome, you are guest2/);
  const none = room(0);
  const c = none.join("pc");
  none.line(c.id, "x");
  assert.equal(linesFor(none.join("pd").output, 2).length, 1);
});

Deno.test("Room tells the sender when its line was cut", () => {
  const r = room();
  const a = r.join("pa");
  const b = r.join("pb");
  const out = r.line(a.id, "x".repeat(100), true);
  assert.deepEqual(linesFor(out, a.id), [
    "* your line was longer than 100 bytes: only the start was sent",
  ]);
  assert.deepEqual(linesFor(out, b.id), [`<guest1> ${"x".repeat(100)}`]);
});

Deno.test("Room operator lines go to everyone as --name; operator commands", () => {
  const r = room();
  const a = r.join("pa");
  const out = r.operatorLine("hello \x1b[31mall");
  assert.deepEqual(linesFor(out, a.id), ["<server> hello ^[[31mall"]);
  assert.deepEqual(out.events, [
    { type: "message", nick: "server", peer: "operator", text: "hello ^[[31mall" },
  ]);
  assert.deepEqual(linesFor(r.operatorLine("/who"), "operator"), [
    "* 1 here: guest1; operator: server",
  ]);
  const msg = r.operatorLine("/msg guest1 hi");
  assert.deepEqual(linesFor(msg, a.id), ["*server* hi"]);
  // Shown to the operator once, as the event's transcript line: no echo line besides.
  assert.deepEqual(linesFor(msg, "operator"), []);
  assert.deepEqual(msg.events, [
    { type: "message", nick: "server", peer: "operator", text: "hi", to: "guest1" },
  ]);
  const fromClient = r.line(a.id, "/msg server hey");
  assert.deepEqual(linesFor(fromClient, a.id), ["-> *server* hey"]);
  assert.deepEqual(fromClient.events, [
    { type: "message", nick: "guest1", peer: "pa", text: "hey", to: "server" },
  ]);
  const kick = r.operatorLine("/kick guest1");
  assert.deepEqual(kick.disconnect, [a.id]);
  assert.deepEqual(linesFor(kick, a.id), ["* you were removed by server"]);
  assert.equal(r.size, 0);
});

Deno.test("Room rejects an invalid operator name", () => {
  assert.throws(
    () => new Room({ operatorName: "guest1", historySize: 0, maxLineBytes: 1 }),
    RangeError,
  );
  assert.throws(
    () => new Room({ operatorName: "a b", historySize: 0, maxLineBytes: 1 }),
    RangeError,
  );
});

Deno.test("Room stamps outputs with the injected clock", () => {
  const r = room();
  assert.equal(r.join("p").output.at.getTime(), 0);
});

Deno.test("Room with announce off: a newcomer that leaves without a word is never mentioned", () => {
  const r = room();
  const a = r.join("p1");
  const probe = r.join("p2", "tcp", false);
  assert.deepEqual(linesFor(probe.output, a.id), []);
  assert.deepEqual(probe.output.events, []);
  assert.match(linesFor(probe.output, probe.id).at(-1)!, /welcome, you are guest2/);
  assert.equal(r.whoLine(a.id), "* 1 here: guest1 (you); operator: server");
  const gone = r.leave(probe.id, "eof");
  assert.deepEqual(gone.deliveries, []);
  assert.deepEqual(gone.events, []);
  assert.deepEqual(gone.disconnect, [probe.id]);
});

Deno.test("Room with announce off: announce() or the first line tells the others once", () => {
  const r = room();
  const a = r.join("p1");
  const b = r.join("p2", "web", false);
  const told = r.announce(b.id);
  assert.deepEqual(linesFor(told, a.id), ["* guest2 joined"]);
  assert.deepEqual(told.events, [
    { type: "joined", nick: "guest2", peer: "p2", transport: "web" },
  ]);
  assert.deepEqual(r.announce(b.id).deliveries, []);
  const c = r.join("p3", "tcp", false);
  const said = r.line(c.id, "hi");
  assert.deepEqual(linesFor(said, a.id), ["* guest3 joined", "<guest3> hi"]);
  assert.deepEqual(said.events.map((e) => e.type), ["joined", "message"]);
  const d = r.join("p4", "tcp", false);
  const blank = r.line(d.id, "");
  assert.deepEqual(linesFor(blank, a.id), ["* guest4 joined"]);
});

Deno.test("Room with announce off: /nick as the first line joins as that name, once", () => {
  const r = room();
  const a = r.join("p1");
  const b = r.join("p2", "tcp", false);
  const named = r.line(b.id, "/nick alice");
  assert.deepEqual(linesFor(named, a.id), ["* alice joined"]);
  assert.deepEqual(linesFor(named, b.id), ["* guest2 is now known as alice"]);
  assert.deepEqual(named.events, [{ type: "joined", nick: "alice", peer: "p2", transport: "tcp" }]);
  // A refused name: it joins as its guest name, and is told why.
  const c = r.join("p3", "tcp", false);
  const refused = r.line(c.id, "/nick ALICE");
  assert.deepEqual(linesFor(refused, a.id), ["* guest3 joined"]);
  assert.match(linesFor(refused, c.id)[0]!, /cannot change your nickname to "ALICE": .*taken/);
  // Once announced, /nick is a rename everyone sees.
  const renamed = r.line(b.id, "/nick carol");
  assert.deepEqual(linesFor(renamed, a.id), ["* alice is now known as carol"]);
  assert.deepEqual(renamed.events.map((e) => e.type), ["renamed"]);
});
