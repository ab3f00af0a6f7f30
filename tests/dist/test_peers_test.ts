/**
 * The test task's set-up step: install missing peers when root with apt-get, otherwise stop
 * with the one command to run.
 * @module
 */

import assert from "node:assert/strict";
import { debianPackageOf, findOnPath, planPeers, TEST_PEERS } from "../../scripts/test_peers.ts";

const jq = { command: "jq", debianPackage: "jq" };
const nc = { command: "nc", debianPackage: "netcat-openbsd" };

Deno.test("planPeers() does nothing when every peer is there", () => {
  assert.deepEqual(planPeers([], { root: false, aptGet: false }), { action: "none" });
});

Deno.test("planPeers() installs the missing packages as root with apt-get", () => {
  assert.deepEqual(planPeers([jq, nc], { root: true, aptGet: true }), {
    action: "install",
    packages: ["jq", "netcat-openbsd"],
  });
});

Deno.test("planPeers() stops with the one apt-get command when not root", () => {
  assert.deepEqual(planPeers([jq, nc], { root: false, aptGet: true }), {
    action: "stop",
    message: "test peers missing (jq, nc); install them with:\n" +
      "  sudo apt-get install -y jq netcat-openbsd",
  });
});

Deno.test("planPeers() names the peers and the Debian command where there is no apt-get", () => {
  const plan = planPeers([jq], { root: true, aptGet: false });
  assert.equal(plan.action, "stop");
  assert.match(
    plan.action === "stop" ? plan.message : "",
    /^test peers missing \(jq\); .*sudo apt-get install -y jq\)$/,
  );
});

Deno.test("the peer list names each command once, with jq and the Debian netcat", () => {
  const commands = TEST_PEERS.map((peer) => peer.command);
  assert.equal(new Set(commands).size, commands.length);
  assert.equal(debianPackageOf("nc"), "netcat-openbsd");
  assert.equal(debianPackageOf("jq"), "jq");
});

Deno.test("findOnPath() finds executables on PATH and nothing else", () => {
  assert.equal(findOnPath("sh", "/no/such/dir::/bin"), "/bin/sh");
  assert.equal(findOnPath("sh", "/no/such/dir"), null);
});

Deno.test("every peer the set-up step knows is installed where the tests run", () => {
  const missing = TEST_PEERS.filter((peer) => findOnPath(peer.command) === null);
  assert.deepEqual(missing, []);
});
