import type { ServerResponse } from "node:http";
import type { Route } from "../server/router.js";
import { viewerClient } from "./client.js";
import { VIEWER_CSS } from "./styles.js";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>judgeval dev</title>
<link rel="stylesheet" href="/viewer.css">
</head>
<body>
<header class="top"><a class="brand" href="/">judgeval <span>dev</span></a><span class="spacer"></span><span id="live-indicator" class="live off">● live</span></header>
<main id="app"><p class="muted">Loading…</p></main>
<script src="/viewer.js" defer></script>
</body>
</html>
`;

// Built once: the client function's own source, invoked on load.
const CLIENT_JS = `"use strict";\n(${viewerClient.toString()})();\n`;

function sendText(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-cache",
  });
  res.end(body);
}

function asset(pattern: RegExp, type: string, body: string): Route {
  return { method: "GET", pattern, handle: ({ res }) => sendText(res, type, body) };
}

/**
 * The viewer's page (for `/` and `/traces/:id`, also `/trace/:id`, routed in the
 * browser), script and stylesheet.
 */
export function viewerRoutes(): Route[] {
  return [
    asset(/^\/(?:traces?\/[0-9a-fA-F]{32}\/?)?$/, "text/html", PAGE),
    asset(/^\/viewer\.js$/, "text/javascript", CLIENT_JS),
    asset(/^\/viewer\.css$/, "text/css", VIEWER_CSS),
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
