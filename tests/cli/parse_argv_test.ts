import assert from "node:assert/strict";
import type { CommandSpec } from "../../lib/cli/command_spec.ts";
import { parseArgv } from "../../lib/cli/parse_argv.ts";
import { closest } from "../../lib/cli/suggest.ts";
import { UsageError } from "../../lib/errors.ts";

const SPEC: Pick<CommandSpec, "path" | "options" | "args" | "foreign"> = {
  path: ["demo"],
  options: [
    { name: "port", short: "p", value: "PORT", help: "", default: "12345", group: "G" },
    { name: "verbose", short: "v", help: "", group: "G" },
    { name: "quiet", short: "q", help: "", group: "G" },
    { name: "send", value: "TEXT", help: "", repeatable: true, group: "G" },
    { name: "mode", value: "MODE", help: "", choices: ["chat", "pipe"], group: "G" },
  ],
  args: [{ name: "HOST", help: "" }, { name: "PORT", help: "" }],
  foreign: [{ flag: "-l", instead: "use X" }],
};

function usage(argv: string[], message: string): void {
  assert.throws(
    () => parseArgv(SPEC, argv),
    (e: Error) => e instanceof UsageError && e.message === message,
    argv.join(" "),
  );
}

Deno.test("parseArgv() reads long, short, attached, clustered and repeated options", () => {
  const parsed = parseArgv(SPEC, ["h", "--send", "a", "-vq", "-p9", "--send=b", "--", "-x"]);
  assert.deepEqual(parsed.args, ["h", "-x"]);
  assert.deepEqual(parsed.opts, { send: ["a", "b"], verbose: true, quiet: true, port: "9" });
  assert.deepEqual([...parsed.given].sort(), ["port", "quiet", "send", "verbose"]);
  assert.deepEqual(parsed.order.map((o) => o.key), ["send", "verbose", "quiet", "port", "send"]);
});

Deno.test("parseArgv() fills defaults without counting them as given", () => {
  const parsed = parseArgv(SPEC, []);
  assert.equal(parsed.opts.port, "12345");
  assert.equal(parsed.given.has("port"), false);
});

Deno.test("parseArgv() takes a required value even when it starts with a dash", () => {
  assert.equal(parseArgv(SPEC, ["--port", "-1"]).opts.port, "-1");
  assert.equal(parseArgv(SPEC, ["-p", "--x"]).opts.port, "--x");
});

Deno.test("parseArgv() reports each mistake in one line pointing to the help", () => {
  const see = '(see "sockchat demo --help")';
  usage(["--prot", "1"], `Unknown option "--prot": did you mean "--port"? ${see}`);
  usage(["-x"], `Unknown option "-x" ${see}`);
  usage(["-l"], "Option -l is not a sockchat option: use X");
  usage(["--port"], `Option --port needs a value (PORT) ${see}`);
  usage(["--verbose=1"], `Option --verbose takes no value ${see}`);
  usage(
    ["--mode", "pipes"],
    `Invalid --mode "pipes": expected chat or pipe (did you mean "pipe"?) ${see}`,
  );
  usage(["a", "b", "c"], `Too many arguments: "c": expected at most HOST PORT ${see}`);
});

Deno.test("parseArgv(): -h/--help wins over every other mistake", () => {
  assert.equal(parseArgv(SPEC, ["--bogus", "a", "b", "c", "-h"]).help, true);
  assert.equal(parseArgv(SPEC, ["--help"]).help, true);
});

Deno.test("closest() suggests near misses and prefixes, nothing for far-off words", () => {
  assert.equal(closest("chatt", ["chat", "pipe", "echo"]), "chat");
  assert.equal(closest("sned", ["send", "recv"]), "send");
  assert.equal(closest("conn", ["connect-timeout", "host"]), "connect-timeout");
  assert.equal(closest("zebra", ["client", "server", "udp", "wait"]), undefined);
});
