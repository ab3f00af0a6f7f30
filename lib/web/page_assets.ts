/**
 * The browser page's files, embedded in the program (text imports are part of the module
 * graph, so `deno compile` carries them): nothing is read from disk or fetched at run time.
 * A file is served at its path under `lib/`, so the page's relative imports resolve the
 * same way in the browser as in the repository.
 * @module
 */

import wireLine from "../chat/wire_line.js" with { type: "text" };
import stableColor from "../output/stable_color.js" with { type: "text" };
import app from "./page/app.js" with { type: "text" };
import icon from "./page/icon.svg" with { type: "text" };
import html from "./page/index.html" with { type: "text" };
import style from "./page/style.css" with { type: "text" };

/** One file the web front serves. */
export interface PageAsset {
  contentType: string;
  body: string;
}

const JS = "text/javascript; charset=utf-8";

/** The page's files by URL path; `/` is the page itself, told the line cap. */
export function pageAssets(maxLineBytes: number): ReadonlyMap<string, PageAsset> {
  const page = html.replace("{{MAX_LINE}}", String(Math.trunc(maxLineBytes)));
  return new Map<string, PageAsset>([
    ["/", { contentType: "text/html; charset=utf-8", body: page }],
    ["/web/page/app.js", { contentType: JS, body: app }],
    ["/web/page/style.css", { contentType: "text/css; charset=utf-8", body: style }],
    ["/web/page/icon.svg", { contentType: "image/svg+xml", body: icon }],
    ["/chat/wire_line.js", { contentType: JS, body: wireLine }],
    ["/output/stable_color.js", { contentType: JS, body: stableColor }],
  ]);
}
