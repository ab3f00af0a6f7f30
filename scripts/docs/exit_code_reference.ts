/**
 * The documented exit codes, read from lib/cli/exit_codes.ts: each `ExitCode` entry's value
 * and its JSDoc (the meaning users read in the README, docs/exit-codes.md and the man page).
 * @module
 */

import { ExitCode } from "../../lib/cli/exit_codes.ts";
import { denoDoc, type DocProperty } from "./deno_doc.ts";
import type { ExitCodeReference } from "./reference.ts";

/** Every exit code, in the order `ExitCode` lists them. */
export async function exitCodeReference(): Promise<ExitCodeReference[]> {
  const symbols = await denoDoc("lib/cli/exit_codes.ts");
  const properties = symbols.get("ExitCode")?.def.tsType?.value?.properties as DocProperty[];
  if (!properties) throw new Error("lib/cli/exit_codes.ts exports no ExitCode object");
  return properties.map((property) => {
    const code = (ExitCode as Record<string, number>)[property.name];
    const meaning = property.jsDoc?.doc?.replace(/\s*\n\s*/g, " ").trim();
    if (code === undefined || !meaning) throw new Error(`ExitCode.${property.name} has no JSDoc`);
    return { code, meaning: meaning.replace(/\.$/, "") };
  });
}
