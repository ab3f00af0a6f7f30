import assert from "node:assert/strict";
import { RemoteMembers } from "../../lib/chat/remote_members.ts";

Deno.test("RemoteMembers mirrors joins, renames and leaves, each shown once", () => {
  const remote = new RemoteMembers();
  assert.deepEqual(remote.apply({ t: "join", s: "b", nick: "guest3", peer: "p" }), [
    { type: "joined", nick: "guest3", peer: "p" },
  ]);
  assert.deepEqual(remote.apply({ t: "join", s: "b", nick: "guest3", peer: "p" }), []);
  assert.deepEqual(remote.apply({ t: "nick", s: "b", nick: "Bob", old: "guest3", peer: "p" }), [
    { type: "renamed", nick: "Bob", oldNick: "guest3", peer: "p" },
  ]);
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
  remote.apply({ t: "join", s: "b", nick: "ann", peer: "1" });
  remote.apply({ t: "join", s: "b", nick: "ben", peer: "2" });
  assert.deepEqual(remote.replace("b", [["ben", "2"], ["cat", "3"]]), [
    { type: "left", nick: "ann", peer: "1", reason: "reset" },
    { type: "joined", nick: "cat", peer: "3" },
  ]);
  assert.deepEqual(remote.replace("b", [["ben", "2"], ["cat", "3"]]), []);
});

Deno.test("RemoteMembers: a server that is gone takes its members with it", () => {
  const remote = new RemoteMembers();
  remote.apply({ t: "join", s: "b", nick: "ann", peer: "1" });
  remote.apply({ t: "join", s: "c", nick: "cy", peer: "2" });
  assert.deepEqual(remote.membersOf("b"), ["ann"]);
  assert.deepEqual(remote.drop("b"), [{ type: "left", nick: "ann", peer: "1", reason: "reset" }]);
  assert.deepEqual(remote.apply({ t: "bye", s: "c" }), [
    { type: "left", nick: "cy", peer: "2", reason: "quit", text: "server shutting down" },
  ]);
  assert.deepEqual(remote.servers(), []);
  assert.deepEqual(remote.drop("b"), []);
});
