/**
 * `deno doc --json` of one module: its exported symbols with their JSDoc and types, so the
 * documents can quote the code's own comments.
 * @module
 */

/** A type as `deno doc --json` describes it (only the parts the documents use). */
export interface DocType {
  kind: string;
  repr?: string;
  // deno-lint-ignore no-explicit-any
  value?: any;
}

/** A property of an interface or object type. */
export interface DocProperty {
  name: string;
  optional?: boolean;
  jsDoc?: { doc?: string };
  tsType?: DocType;
}

/** One exported symbol's first declaration. */
export interface DocSymbol {
  name: string;
  kind: string;
  doc: string;
  // deno-lint-ignore no-explicit-any
  def: any;
}

/** The exported symbols of `module` (a path relative to the repository root), by name. */
export async function denoDoc(module: string): Promise<Map<string, DocSymbol>> {
  const root = new URL("../../", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", module],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`deno doc ${module} failed: ${new TextDecoder().decode(stderr).trim()}`);
  }
  const json = JSON.parse(new TextDecoder().decode(stdout));
  const symbols = new Map<string, DocSymbol>();
  for (const file of Object.values(json.nodes) as { symbols: unknown[] }[]) {
    for (const symbol of file.symbols as { name: string; declarations: DocDeclaration[] }[]) {
      const declaration = symbol.declarations[0]!;
      symbols.set(symbol.name, {
        name: symbol.name,
        kind: declaration.kind,
        doc: declaration.jsDoc?.doc ?? "",
        def: declaration.def,
      });
    }
  }
  return symbols;
}

interface DocDeclaration {
  kind: string;
  jsDoc?: { doc?: string };
  // deno-lint-ignore no-explicit-any
  def: any;
}
