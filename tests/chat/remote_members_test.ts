import assert from "node:assert/strict";
import { RemoteMembers } from "../../lib/chat/remote_members.ts";

Deno.test("RemoteMembers mirrors joins, renames and leaves, each shown once", () => {
  const remote = new RemoteMembers();
  assert.deepEqual(remote.apply({ t: "join", s: "b", nick: "guest3", peer: "p", id: 1 }), [
    { type: "joined", nick: "guest3", peer: "p" },
  ]);
  assert.deepEqual(remote.apply({ t: "join", s: "b", nick: "guest3", peer: "p", id: 1 }), []);
  assert.deepEqual(
    remote.apply({ t: "nick", s: "b", nick: "Bob", old: "guest3", peer: "p", id: 1 }),
    [
      { type: "renamed", nick: "Bob", oldNick: "guest3", peer: "p" },
    ],
  );
  assert.equal(remote.find("BOB"), "Bob");
  assert.equal(remote.find("guest3"), undefined);
  assert.deepEqual(remote.nicks(), ["Bob"]);
  assert.deepEqual(
    remote.apply({ t: "left", s: "b", nick: "bob", peer: "p", reason: "quit", text: "zzz" }),
    [{ type: "left", nick: "Bob", peer: "p", reason: "quit", text: "zzz" }],
  );
  assert.deepEqual(remote.apply({ t: "left", s: "b", nick: "bob", peer: "p", reason: "eof" }), []);
  assert.equal(remote.size, 0);
});

Deno.test("RemoteMembers: a hello or presence read shows only the differences", () => {
  const remote = new RemoteMembers();
  remote.apply({ t: "join", s: "b", nick: "ann", peer: "1", id: 1 });
  remote.apply({ t: "join", s: "b", nick: "ben", peer: "2", id: 2 });
  remote.apply({ t: "join", s: "b", nick: "dot", peer: "4", id: 4 });
  // ann left, ben renamed to benny while the link was down, cat joined.
  const now: [string, string, number][] = [["benny", "2", 2], ["cat", "3", 3], ["dot", "4", 4]];
  assert.deepEqual(remote.replace("b", now), [
    { type: "left", nick: "ann", peer: "1", reason: "reset" },
    { type: "renamed", nick: "benny", oldNick: "ben", peer: "2" },
    { type: "joined", nick: "cat", peer: "3" },
  ]);
  assert.deepEqual(remote.replace("b", now), []);
  // A rename whose old name was never seen here is matched by the member's number.
  assert.deepEqual(remote.apply({ t: "nick", s: "b", nick: "dee", old: "zzz", peer: "4", id: 4 }), [
    { type: "renamed", nick: "dee", oldNick: "dot", peer: "4" },
  ]);
});

Deno.test("RemoteMembers: a server that is gone takes its members with it", () => {
  const remote = new RemoteMembers();
  remote.apply({ t: "join", s: "b", nick: "ann", peer: "1", id: 1 });
  remote.apply({ t: "join", s: "c", nick: "cy", peer: "2", id: 1 });
  assert.deepEqual(remote.membersOf("b"), ["ann"]);
  assert.deepEqual(remote.drop("b"), [{ type: "left", nick: "ann", peer: "1", reason: "reset" }]);
  assert.deepEqual(remote.apply({ t: "bye", s: "c" }), [
    { type: "left", nick: "cy", peer: "2", reason: "quit", text: "server shutting down" },
  ]);
  assert.deepEqual(remote.servers(), []);
  assert.deepEqual(remote.drop("b"), []);
});
