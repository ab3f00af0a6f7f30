/**
 * The argv parser: one command's table in, `ParsedArgs` out, or a `UsageError` whose one
 * line names the problem, quotes the value as typed, suggests the closest option, and
 * points to the command's `--help`.
 *
 * getopt-style: `--name VALUE`, `--name=VALUE`, `-p VALUE`, `-pVALUE`, clustered flags
 * (`-vq`), options anywhere among the positionals, `--` ends the options. A required
 * value is taken even when it starts with `-` (`--port -1` is an invalid port, not an
 * unknown option).
 * @module
 */

import { UsageError } from "../errors.ts";
import { quote } from "../output/format.ts";
import {
  type CommandSpec,
  HELP_OPTION,
  helpPointer,
  optionKey,
  type OptionSpec,
  type ParsedArgs,
} from "./command_spec.ts";
import { closest } from "./suggest.ts";

/**
 * Parses `argv` for `spec`. `-h/--help` wins over any other problem on the line, so
 * `client --bogus --help` shows the help.
 * @throws {UsageError}
 */
export function parseArgv(
  spec: Pick<CommandSpec, "path" | "options" | "args" | "foreign">,
  argv: readonly string[],
): ParsedArgs {
  const foreign = spec.foreign ?? [];
  const options = [...spec.options, HELP_OPTION];
  const byLong = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short!, o]));
  const parsed: ParsedArgs = { opts: {}, args: [], given: new Set(), order: [], help: false };
  const given = parsed.given as Set<string>;
  let problem: UsageError | null = null;
  const fail = (message: string, pointer = true) => {
    problem ??= new UsageError(pointer ? `${message} ${helpPointer(spec)}` : message);
  };
  const set = (option: OptionSpec, value: string | true) => {
    if (option === HELP_OPTION) {
      parsed.help = true;
      return;
    }
    const key = optionKey(option.name);
    if (typeof value === "string" && option.choices && !option.choices.includes(value)) {
      const guess = closest(value, option.choices);
      fail(
        `Invalid --${option.name} ${quote(value)}: expected ${orList(option.choices)}${
          guess ? ` (did you mean "${guess}"?)` : ""
        }`,
      );
      return;
    }
    given.add(key);
    parsed.order.push({ key, value });
    if (option.repeatable) {
      const list = parsed.opts[key];
      parsed.opts[key] = [...(Array.isArray(list) ? list : []), value];
    } else {
      parsed.opts[key] = value;
    }
  };

  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (onlyPositionals || word === "-" || !word.startsWith("-")) {
      parsed.args.push(word);
    } else if (word === "--") {
      onlyPositionals = true;
      parsed.dashAt = parsed.args.length;
    } else if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq === -1 ? undefined : eq);
      const option = byLong.get(name);
      if (option === undefined) {
        const guess = closest(name, options.filter((o) => !o.hidden).map((o) => o.name));
        fail(`Unknown option ${quote(`--${name}`)}${guess ? `: did you mean "--${guess}"?` : ""}`);
        continue;
      }
      if (option.value === undefined) {
        if (eq !== -1) fail(`Option --${name} takes no value`);
        else set(option, true);
        continue;
      }
      const value = eq !== -1 ? word.slice(eq + 1) : argv[++i];
      if (value === undefined) fail(`Option --${name} needs a value (${option.value})`);
      else set(option, value);
    } else {
      for (let j = 1; j < word.length; j++) {
        const char = word[j]!;
        const option = byShort.get(char);
        if (option === undefined) {
          const hint = foreign.find((f) => f.flag === `-${char}`);
          if (hint) fail(`Option -${char} is not a sockchat option: ${hint.instead}`, false);
          else fail(`Unknown option ${quote(`-${char}`)}`);
          break;
        }
        if (option.value === undefined) {
          set(option, true);
          continue;
        }
        const rest = word.slice(j + 1);
        const value = rest !== "" ? rest : argv[++i];
        if (value === undefined) fail(`Option -${char} needs a value (${option.value})`);
        else set(option, value);
        break;
      }
    }
  }
  if (parsed.help) return parsed;
  if (problem !== null) throw problem;
  checkPositionals(spec, parsed.args, fail);
  if (problem !== null) throw problem;
  for (const option of spec.options) {
    const key = optionKey(option.name);
    if (option.default !== undefined && !given.has(key)) parsed.opts[key] = option.default;
  }
  return parsed;
}

function checkPositionals(
  spec: Pick<CommandSpec, "args">,
  args: string[],
  fail: (message: string) => void,
): void {
  const variadic = spec.args.some((a) => a.variadic);
  const missing = spec.args.filter((a) => a.required).slice(args.length);
  if (missing.length > 0) {
    fail(`Missing ${missing.map((a) => a.name).join(" ")}`);
  } else if (!variadic && args.length > spec.args.length) {
    const extra = args.slice(spec.args.length);
    fail(
      `Too many arguments: ${extra.map((a) => quote(a)).join(" ")}: ${
        spec.args.length === 0
          ? "this command takes none"
          : `expected at most ${spec.args.map((a) => a.name).join(" ")}`
      }`,
    );
  }
}

/** `["a", "b", "c"]` → `a, b or c`. */
export function orList(words: readonly string[]): string {
  return words.length <= 1
    ? words.join("")
    : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}
