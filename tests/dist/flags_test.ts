/**
 * The permissions and unstable features baked into the released binary must be exactly the
 * ones the tests run sockchat with: every compile task, `deno task start` and the test
 * helper use the one permission set `-P=sockchat` and deno.json's `unstable` list, and add
 * nothing of their own.
 */

import assert from "node:assert/strict";
import { ROOT_DIR, sockchatArgv } from "../_helpers/cli.ts";
import {
  parseCompileTask,
  PERMISSION_SET,
  readDenoConfig,
  RELEASE_TARGETS,
  runtimeFlagProblems,
  taskWords,
  V8_FLAGS,
} from "./deno_config.ts";

const config = readDenoConfig();
const P = `-P=${PERMISSION_SET}`;

Deno.test("deno.json enables unstable net and defines the sockchat permission set", () => {
  assert.ok(config.unstable.includes("net"), `unstable is ${JSON.stringify(config.unstable)}`);
  const set = config.permissions[PERMISSION_SET];
  assert.ok(set, `no "${PERMISSION_SET}" permission set in deno.json`);
  assert.equal(set.net, true, "sockchat needs net for every host and port");
  assert.ok(!("all" in set), "no allow-all in the permission set");
});

Deno.test("every release target has a compile task with its triple and dist/ output", () => {
  for (const [name, { triple, output }] of Object.entries(RELEASE_TARGETS)) {
    const command = config.tasks[`compile:${name}`];
    assert.ok(command, `task compile:${name} is missing`);
    const task = parseCompileTask(command);
    assert.equal(task.target, triple, `compile:${name} --target`);
    assert.equal(task.output, output, `compile:${name} --output`);
    assert.equal(task.entry, "main.ts", `compile:${name} entry point`);
  }
  const host = parseCompileTask(config.tasks["compile"] ?? "");
  assert.equal(host.target, null, "compile (host platform) must not pin a target");
  assert.equal(host.output, "dist/sockchat");
  assert.equal(host.entry, "main.ts");
});

Deno.test("every compile task bakes in -P=sockchat and nothing else", () => {
  const compileTasks = Object.entries(config.tasks).filter(([name]) =>
    name === "compile" || name.startsWith("compile:")
  );
  assert.equal(compileTasks.length, Object.keys(RELEASE_TARGETS).length + 1);
  for (const [name, command] of compileTasks) {
    const { flags } = parseCompileTask(command);
    assert.deepEqual(flags.filter((f) => f.startsWith("-P") || f.startsWith("--permission-set")), [
      P,
    ], `${name}: permission set`);
    assert.deepEqual(runtimeFlagProblems(flags), [], `${name}: ${command}`);
    assert.ok(flags.includes(V8_FLAGS), `${name}: ${V8_FLAGS}`);
    assert.deepEqual(
      flags.filter((f) => f !== P && f !== "-q" && f !== V8_FLAGS),
      [],
      `${name}: extra flags`,
    );
  }
});

Deno.test("deno task start runs main.ts with the same -P=sockchat", () => {
  const words = taskWords(config.tasks["start"] ?? "");
  assert.deepEqual(words.slice(0, 2), ["deno", "run"]);
  assert.equal(words.at(-1), "main.ts");
  const flags = words.slice(2, -1);
  assert.ok(flags.includes(P), `start task: ${config.tasks["start"]}`);
  assert.ok(flags.includes(V8_FLAGS), `start task: ${config.tasks["start"]}`);
  assert.deepEqual(runtimeFlagProblems(flags), []);
  assert.deepEqual(flags.filter((f) => f !== P && f !== "-q" && f !== V8_FLAGS), []);
});

Deno.test("the e2e helper runs sockchat with the same -P=sockchat and config", () => {
  const argv = sockchatArgv(["--version"]);
  const bin = Deno.env.get("SOCKCHAT_BIN");
  if (bin) {
    // Against a compiled binary the flags are the baked-in ones: nothing is added.
    assert.deepEqual(argv, [bin, "--version"]);
    return;
  }
  assert.equal(argv[0], Deno.execPath());
  assert.equal(argv[1], "run");
  const mainIndex = argv.indexOf(`${ROOT_DIR}/main.ts`);
  assert.ok(mainIndex > 1, `main.ts not in ${argv.join(" ")}`);
  assert.deepEqual(argv.slice(mainIndex + 1), ["--version"]);
  const flags = argv.slice(2, mainIndex);
  assert.ok(flags.includes(P), `helper flags: ${flags.join(" ")}`);
  // --config names the same deno.json the compile tasks read (unstable features, imports).
  const withoutConfig = flags.filter((f, i) => f !== "--config" && flags[i - 1] !== "--config");
  assert.equal(flags[flags.indexOf("--config") + 1], `${ROOT_DIR}/deno.json`);
  assert.deepEqual(runtimeFlagProblems(withoutConfig), []);
  assert.ok(withoutConfig.includes(V8_FLAGS), `helper flags: ${flags.join(" ")}`);
  assert.deepEqual(withoutConfig.filter((f) => f !== P && f !== "-q" && f !== V8_FLAGS), []);
});

Deno.test("runtimeFlagProblems() catches flags that widen or change the binary", () => {
  assert.deepEqual(runtimeFlagProblems(["-q", P]), []);
  assert.deepEqual(runtimeFlagProblems([V8_FLAGS]), []);
  for (
    const flag of [
      "-A",
      "--allow-all",
      "--allow-run",
      "-N",
      "--unstable-net",
      "--no-config",
      "--v8-flags=--max-old-space-size=64",
    ]
  ) {
    assert.equal(runtimeFlagProblems([flag]).length, 1, flag);
  }
});

Deno.test("the npm launcher runs main.ts with the same -P=sockchat and V8 flags", () => {
  const launcher = Deno.readTextFileSync(`${ROOT_DIR}/bin/sockchat`);
  const exec = launcher.split("\n").find((line) => line.startsWith("exec "));
  assert.ok(exec, "bin/sockchat has no exec line");
  const words = exec.split(/\s+/);
  assert.ok(words.includes(P), exec);
  assert.ok(words.includes(V8_FLAGS), exec);
});
