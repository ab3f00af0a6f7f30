/**
 * The `--json` event types as `EventReference`s, read from lib/output/events.ts: the
 * members of `SockchatEvent` in order, each interface's JSDoc and its fields.
 * @module
 */

import { denoDoc, type DocProperty, type DocSymbol, type DocType } from "./deno_doc.ts";
import type { EventReference, FieldReference } from "./reference.ts";

/** Every event type, in the order of the `SockchatEvent` union. */
export async function eventReference(): Promise<EventReference[]> {
  const symbols = await denoDoc("lib/output/events.ts");
  const union = symbols.get("SockchatEvent");
  if (!union) throw new Error("lib/output/events.ts exports no SockchatEvent union");
  return interfacesOf(union.def.tsType, symbols).map((symbol) => {
    const properties = symbol.def.properties as DocProperty[];
    const type = properties.find((property) => property.name === "type")?.tsType?.repr;
    if (!type) throw new Error(`${symbol.name} has no literal "type" field`);
    return {
      type,
      doc: oneParagraph(symbol.doc),
      fields: properties.filter((property) => property.name !== "type").map((property) =>
        fieldReference(property, symbols)
      ),
    };
  });
}

function interfacesOf(type: DocType, symbols: Map<string, DocSymbol>): DocSymbol[] {
  if (type.kind === "union") {
    return (type.value as DocType[]).flatMap((member) => interfacesOf(member, symbols));
  }
  if (type.kind === "typeRef") {
    const symbol = symbols.get(type.value.typeName);
    if (!symbol) throw new Error(`Unknown event type ${type.value.typeName}`);
    if (symbol.kind === "interface") return [symbol];
    if (symbol.kind === "typeAlias") return interfacesOf(symbol.def.tsType, symbols);
  }
  throw new Error(`Cannot list the events in a ${type.kind} type`);
}

function fieldReference(property: DocProperty, symbols: Map<string, DocSymbol>): FieldReference {
  return {
    name: property.name,
    optional: property.optional === true,
    type: property.tsType ? typeText(property.tsType, symbols) : "unknown",
    doc: oneParagraph(property.jsDoc?.doc ?? ""),
  };
}

/** A type as a reader sees it: local aliases of literal unions are spelled out. */
export function typeText(type: DocType, symbols: Map<string, DocSymbol>): string {
  switch (type.kind) {
    case "literal":
      return typeof type.value?.string === "string"
        ? JSON.stringify(type.value.string)
        : type.repr!;
    case "keyword":
      return type.repr ?? String(type.value);
    case "union":
      return (type.value as DocType[]).map((member) => typeText(member, symbols)).join(" | ");
    case "array": {
      const element = typeText(type.value, symbols);
      return element.includes("|") ? `(${element})[]` : `${element}[]`;
    }
    case "parenthesized":
      return typeText(type.value, symbols);
    case "typeRef": {
      const alias = symbols.get(type.value.typeName);
      if (alias?.kind === "typeAlias") return typeText(alias.def.tsType, symbols);
      return type.repr ?? type.value.typeName;
    }
    default:
      return type.repr ?? type.kind;
  }
}

function oneParagraph(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
