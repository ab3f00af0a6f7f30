/**
 * The real `deno compile` step, offline: each Linux compile task runs exactly as written,
 * with `DENORT_BIN` pointing at a stand-in ELF (see compile_payload.ts), and the metadata
 * it baked in is compared with deno.json and with the permissions a test run really has.
 * (Mach-O and PE targets need a base of their own format; their tasks carry the same
 * flags, which flags_test.ts checks.)
 */

import assert from "node:assert/strict";
import { ROOT_DIR, sockchatArgv } from "../_helpers/cli.ts";
import { expectedPermissionFields, readCompileMetadata, standInElf } from "./compile_payload.ts";
import { PERMISSION_SET, readDenoConfig, taskWords } from "./deno_config.ts";

const config = readDenoConfig();
const permissionSet = config.permissions[PERMISSION_SET] ?? {};

/** Runs deno.json task `name` with its --output redirected and a stand-in runtime base. */
async function compileWithStandIn(name: string, dir: string): Promise<Uint8Array> {
  const words = taskWords(config.tasks[name] ?? "");
  const output = `${dir}/${name.replace(":", "-")}`;
  const args = words.slice(1).map((word, i, all) => (all[i - 1] === "--output" ? output : word));
  const base = `${dir}/denort-stand-in`;
  await Deno.writeFile(base, standInElf(), { mode: 0o755 });
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT_DIR,
    env: { DENORT_BIN: base, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  assert.equal(result.code, 0, `deno ${args.join(" ")} failed: ${stderr}`);
  return await Deno.readFile(output);
}

/** The flags the e2e helper runs sockchat with, applied to another script. */
function testRunArgv(script: string): string[] {
  if (Deno.env.get("SOCKCHAT_BIN")) {
    return [
      Deno.execPath(),
      "run",
      "-q",
      `-P=${PERMISSION_SET}`,
      "--config",
      `${ROOT_DIR}/deno.json`,
      script,
    ];
  }
  const argv = sockchatArgv([]);
  return argv.map((word) => (word === `${ROOT_DIR}/main.ts` ? script : word));
}

const SYS_NAMES = [
  "hostname",
  "osRelease",
  "loadavg",
  "networkInterfaces",
  "systemMemoryInfo",
  "uid",
  "cpus",
  "homedir",
];

const PROBE = `
const out = {};
for (const name of ["env", "net", "ffi", "read", "run", "write"]) {
  out[name] = Deno.permissions.querySync({ name }).state === "granted";
}
for (const kind of ${JSON.stringify(SYS_NAMES)}) {
  out["sys:" + kind] = Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
}
out.unstableNet = typeof Deno.listenDatagram === "function";
console.log(JSON.stringify(out));
`;

/** What a test run of sockchat is really granted, asked from inside such a run. */
async function probeTestRun(dir: string): Promise<Record<string, boolean>> {
  const script = `${dir}/probe.ts`;
  await Deno.writeTextFile(script, PROBE);
  const [program, ...args] = testRunArgv(script);
  const result = await new Deno.Command(program!, {
    args,
    cwd: ROOT_DIR,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  return JSON.parse(new TextDecoder().decode(result.stdout));
}

/** The same answers, derived from the metadata baked into the binary. */
function grantedByMetadata(permissions: Record<string, unknown>): Record<string, boolean> {
  const all = (field: string) =>
    Array.isArray(permissions[field]) && (permissions[field] as unknown[]).length === 0;
  const out: Record<string, boolean> = {};
  for (const name of ["env", "net", "ffi", "read", "run", "write"]) {
    out[name] = all(`allow_${name}`);
  }
  const sys = permissions["allow_sys"];
  for (const kind of SYS_NAMES) {
    out[`sys:${kind}`] = Array.isArray(sys) && (sys.length === 0 || sys.includes(kind));
  }
  return out;
}

Deno.test("readCompileMetadata() finds the length-prefixed JSON after the magic", () => {
  const json = new TextEncoder().encode(`{"argv":["x"],"entrypoint_key":"main.ts"}`);
  const buffer = new Uint8Array(40 + 16 + 8 + json.length + 10);
  buffer.set(new TextEncoder().encode("d3n0l4ndd3n0l4nd"), 40);
  new DataView(buffer.buffer).setBigUint64(56, BigInt(json.length), true);
  buffer.set(json, 64);
  assert.deepEqual(readCompileMetadata(buffer).argv, ["x"]);
  assert.throws(() => readCompileMetadata(new Uint8Array(100)), /No deno compile payload/);
});

Deno.test("expectedPermissionFields() maps a deno.json permission set like deno compile", () => {
  assert.deepEqual(expectedPermissionFields({ net: true, sys: ["hostname"], read: false }), {
    allow_env: null,
    allow_net: [],
    allow_ffi: null,
    allow_read: null,
    allow_run: null,
    allow_sys: ["hostname"],
    allow_write: null,
  });
});

// One real compile: every compile task carries the same flags but --target and --output
// (flags_test.ts), so what one of them bakes in, all of them do. linux-x64 fits the
// stand-in ELF on any host.
{
  const task = "compile:linux-x64";
  Deno.test({
    name: `deno task ${task} bakes in exactly deno.json's permission set and unstable list`,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "sockchat-dist-" });
      try {
        const metadata = readCompileMetadata(await compileWithStandIn(task, dir));
        assert.deepEqual(metadata.argv, [], "no arguments baked in");
        assert.equal(metadata.entrypoint_key, "main.ts");
        assert.deepEqual(metadata.env_vars_from_env_file, {});
        assert.deepEqual(
          [...metadata.unstable_config.features].sort(),
          [...config.unstable].sort(),
          "unstable features baked in",
        );
        const baked = Object.fromEntries(
          Object.entries(metadata.permissions).filter(([key]) =>
            /^allow_(env|net|ffi|read|run|sys|write)$/.test(key)
          ),
        );
        assert.deepEqual(baked, expectedPermissionFields(permissionSet));
        for (const [key, value] of Object.entries(metadata.permissions)) {
          if (key.startsWith("deny_") || key.startsWith("ignore_")) {
            assert.equal(value, null, `${key} baked in`);
          }
        }
        const probe = await probeTestRun(dir);
        assert.equal(probe.unstableNet, true, "tests run with unstable net");
        delete probe.unstableNet;
        assert.deepEqual(grantedByMetadata(metadata.permissions), probe);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
