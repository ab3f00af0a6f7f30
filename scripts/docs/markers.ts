/**
 * Generated parts inside hand-written documents: the text between
 * `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` belongs to the generator.
 * @module
 */

/** `text` with the generated part `name` replaced by `content` (the markers must exist). */
export function replaceGenerated(text: string, name: string, content: string): string {
  const start = `<!-- generated: ${name} -->`;
  const end = `<!-- end generated: ${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`No "${start}" ... "${end}" markers`);
  return `${text.slice(0, from + start.length)}\n\n${content.trim()}\n\n${text.slice(to)}`;
}
