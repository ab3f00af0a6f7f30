import assert from "node:assert/strict";
import { type ClientId, type RemoteRoster, Room } from "../../lib/chat/room.ts";

/** A roster with fixed remote members whose claims wait for an answer. */
function roster(nicks: string[], guests: number[] = []) {
  const claims: { id: ClientId; nick: string }[] = [];
  const fake: RemoteRoster = {
    find: (nick) => nicks.find((n) => n.toLowerCase() === nick.toLowerCase()),
    nicks: () => nicks,
    claim: (id, nick) => {
      claims.push({ id, nick });
      return "later";
    },
    guestNumber: () => guests.shift(),
  };
  return { fake, claims };
}

const lines = (out: { deliveries: { to: unknown; line: string }[] }, to: unknown) =>
  out.deliveries.filter((d) => d.to === to).map((d) => d.line);

Deno.test("Room with a roster: /who and the welcome count everyone, /msg reaches remote names", () => {
  const { fake } = roster(["bob"], [41]);
  const room = new Room({
    operatorName: "server",
    historySize: 5,
    maxLineBytes: 100,
    roster: fake,
  });
  const { id, output } = room.join("p");
  assert.match(lines(output, id).at(-1)!, /welcome, you are guest41 \(2 here\)/);
  assert.deepEqual(lines(room.line(id, "/who"), id), [
    "* 2 here: guest41 (you), bob; operator: server",
  ]);
  const pm = room.line(id, "/msg BOB hi");
  assert.deepEqual(lines(pm, id), ["-> *bob* hi"]);
  assert.deepEqual(pm.events, [{
    type: "message",
    nick: "guest41",
    peer: "p",
    text: "hi",
    to: "bob",
  }]);
  assert.deepEqual(lines(room.line(id, "/nick Bob"), id), [
    '* cannot change your nickname to "Bob": that nickname is taken',
  ]);
});

Deno.test("Room with a roster: lines sent while a nickname is claimed wait for the answer", () => {
  const { fake, claims } = roster([]);
  const room = new Room({
    operatorName: "server",
    historySize: 5,
    maxLineBytes: 100,
    roster: fake,
  });
  const { id } = room.join("p");
  const other = room.join("q").id;
  assert.deepEqual(room.line(id, "/nick alice").deliveries, []);
  assert.deepEqual(claims, [{ id, nick: "alice" }]);
  assert.deepEqual(room.line(id, "hello").deliveries, []);
  // Nobody here can take a name that is being claimed.
  assert.match(lines(room.line(other, "/nick ALICE"), other)[0]!, /that nickname is taken/);
  const answer = room.claimed(id, "alice", true);
  assert.deepEqual(answer.deliveries.map((d) => d.line), [
    "* guest1 is now known as alice",
    "<alice> hello",
  ]);
  room.line(id, "/nick carol");
  const refused = room.claimed(id, "carol", false);
  assert.deepEqual(lines(refused, id), [
    '* cannot change your nickname to "carol": that nickname is taken',
  ]);
  assert.equal(room.nickOf(id), "alice");
});

Deno.test("Room.remote() shows other servers' news and keeps public lines in history", () => {
  const room = new Room({ operatorName: "server", historySize: 5, maxLineBytes: 100 });
  const { id } = room.join("p");
  assert.deepEqual(
    room.remote({ type: "message", nick: "bob", peer: "x", text: "hi" }).deliveries,
    [
      { to: "all", line: "<bob> hi" },
    ],
  );
  assert.deepEqual(
    room.remote({ type: "private", nick: "bob", peer: "x", to: "GUEST1", text: "psst" }).deliveries,
    [{ to: id, line: "*bob* psst" }],
  );
  assert.deepEqual(
    room.remote({ type: "private", nick: "bob", peer: "x", to: "zed", text: "?" }).deliveries,
    [],
  );
  assert.deepEqual(
    room.remote({ type: "left", nick: "bob", peer: "x", reason: "quit", text: "later" }).deliveries,
    [{ to: "all", line: "* bob left (later)" }],
  );
  const late = room.join("q");
  assert.deepEqual(lines(late.output, late.id).slice(0, 2), ["-- history --", "<bob> hi"]);
  const lost = room.renameToGuest(id, "the nickname guest1 is held on another server");
  assert.ok(lost !== undefined);
  assert.deepEqual(
    lines(lost.output, id)[0],
    `* the nickname guest1 is held on another server: you are now ${lost.nick}`,
  );
});
