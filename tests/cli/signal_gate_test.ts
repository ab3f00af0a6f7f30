import assert from "node:assert/strict";
import { SIGNAL_BURST_MS, SignalGate } from "../../lib/cli/signal_gate.ts";

Deno.test("SignalGate: the first signal stops, a later one exits at once", () => {
  const gate = new SignalGate();
  assert.equal(gate.decide("SIGINT", 1000), "stop");
  assert.equal(gate.decide("SIGINT", 1000 + SIGNAL_BURST_MS + 1), "exit");
});

Deno.test("SignalGate: a burst of the same signal is one request", () => {
  const gate = new SignalGate();
  assert.equal(gate.decide("SIGTERM", 0), "stop");
  assert.equal(gate.decide("SIGTERM", 1), "ignore");
  assert.equal(gate.decide("SIGTERM", SIGNAL_BURST_MS), "ignore");
  // The window is measured from the first signal: a steady stream still ends in an exit.
  assert.equal(gate.decide("SIGTERM", SIGNAL_BURST_MS + 1), "exit");
});

Deno.test("SignalGate: a different signal right after the first exits at once", () => {
  const gate = new SignalGate();
  assert.equal(gate.decide("SIGHUP", 0), "stop");
  assert.equal(gate.decide("SIGINT", 5), "exit");
});
