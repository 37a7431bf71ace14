import type { ServerResponse } from "node:http";
import type { Route } from "../server/router.js";
import { PAGES } from "./app/pages.js";
import { VIEWER_ASSETS, VIEWER_PAGE } from "./assets.js";

/** Every page's path, one anchored alternative per page. */
const PAGE_PATHS = new RegExp(
  Object.values(PAGES)
    .map((page) => `(?:${page.pattern.source})`)
    .join("|"),
);

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-cache",
  });
  res.end(body);
}

/**
 * The viewer: one HTML page for every path of its page table (the browser code routes), and its
 * compiled modules and stylesheet under `/viewer/` (built from lib/dev/viewer/app).
 */
export function viewerRoutes(): Route[] {
  return [
    {
      method: "GET",
      pattern: PAGE_PATHS,
      handle: ({ res }) => send(res, "text/html", VIEWER_PAGE),
    },
    {
      method: "GET",
      pattern: /^\/viewer\/[a-z-]+\.(?:js|css)$/,
      handle: ({ res, url }) => {
        // Own-property lookup only: the path never reaches the prototype.
        const asset = Object.prototype.hasOwnProperty.call(VIEWER_ASSETS, url.pathname) ? VIEWER_ASSETS[url.pathname] : undefined;
        if (!asset) {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
          res.end("not found");
          return;
        }
        send(res, asset.type, asset.body);
      },
    },
    {
      method: "GET",
      pattern: /^\/favicon\.ico$/,
      handle: ({ res }) => {
        res.writeHead(204);
        res.end();
      },
    },
  ];
}
