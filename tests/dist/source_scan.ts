/**
 * A source scan for code that a compiled binary cannot honour: `deno compile` embeds the
 * module graph (plus npm packages) and nothing else, so a dynamic import of a computed
 * specifier, a worker, or a file read next to the module works under `deno run` and breaks
 * in the downloaded binary. Pure: text in, findings out.
 * @module
 */

/** One thing the binary would not carry. */
export interface SourceFinding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
}

const RULES: readonly Rule[] = [
  {
    name: "dynamic import of a non-literal specifier",
    // import( followed by anything but one plain string literal and `)` or `,`.
    pattern: /\bimport\s*\(\s*(?!(?:"[^"\\\n]*"|'[^'\\\n]*'|`[^`$\\\n]*`)\s*[,)])/,
  },
  { name: "require() (CommonJS loading at run time)", pattern: /\brequire\s*\(/ },
  { name: "a worker (its module must be --include'd)", pattern: /\bnew\s+Worker\s*\(/ },
  { name: "a path next to the module", pattern: /\bimport\.meta\.(dirname|filename|resolve)\b/ },
  { name: "a URL relative to the module", pattern: /\bnew\s+URL\s*\([^;]*\bimport\.meta\.url/ },
  {
    name: "a project file read at run time",
    pattern: /["'`][^"'`\n]*\b(deno\.jsonc?|deno\.lock|package\.json|import_map\.json)["'`]/,
  },
];

/** Removes comments, keeping line numbers (block comments become blank lines). */
export function stripComments(source: string): string {
  const withoutBlocks = source.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ""));
  return withoutBlocks.split("\n").map((line) => (/^\s*\/\//.test(line) ? "" : line)).join(
    "\n",
  );
}

/** Finds everything in `source` (from `file`) that a compiled binary would not embed. */
export function scanSource(file: string, source: string): SourceFinding[] {
  const findings: SourceFinding[] = [];
  const lines = stripComments(source).split("\n");
  lines.forEach((text, index) => {
    for (const rule of RULES) {
      if (rule.pattern.test(text)) {
        findings.push({ file, line: index + 1, rule: rule.name, text: text.trim() });
      }
    }
  });
  return findings;
}

/** One finding as a line for an assertion message. */
export function formatFinding(finding: SourceFinding): string {
  return `${finding.file}:${finding.line}: ${finding.rule}: ${finding.text}`;
}
