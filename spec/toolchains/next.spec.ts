import { execFile } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { judgmentEnv, useBackend } from "../support/backend.js";
import { cachedApp, packJudgeval } from "../support/npm-app.js";
import { expectAgentTrace, freePort, startServer, type ServerProcess } from "./support.js";

const run = promisify(execFile);
const fixtures = resolve(__dirname, "../fixtures/toolchains");
const ctx = useBackend({ projectName: "next-app" });
const NEXT = "16.5.0";
// What create-next-app 16 installs besides next (a Next.js install is ~400 MB: kept in the cache).
const DEPENDENCIES = {
  next: NEXT,
  react: "^19",
  "react-dom": "^19",
  openai: "^7.57.0",
  typescript: "^5",
  "@types/node": "^20",
  "@types/react": "^19",
  "@types/react-dom": "^19",
};
const BUILD_MILLIS = 900000;

let app: string;
let provider: Loopback;
beforeAll(async () => {
  // the SWC compiler is an optional dependency of next (@next/swc-<platform>)
  app = await cachedApp(`next-${NEXT}`, { dependencies: DEPENDENCIES }, await packJudgeval(), { optional: true });
  for (const dir of ["app", "pages", "lib"]) rmSync(join(app, dir), { recursive: true, force: true });
  cpSync(join(fixtures, "next"), app, { recursive: true });
  cpSync(join(fixtures, "agent.ts"), join(app, "lib/agent.ts"));
  provider = await startResponsesReplay();
}, BUILD_MILLIS);
afterAll(async () => {
  await provider?.close();
});

function serverEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    ...judgmentEnv(ctx),
    PROVIDER_URL: provider.url,
  };
}

/** Posts `body` as JSON to `url` and returns the parsed answer. */
async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

/**
 * Submits the form of /ask as a browser without JavaScript does: the page's form carries the
 * server action's id in a hidden field, the POST runs the action.
 */
async function submitAskForm(base: string, question: string): Promise<void> {
  const page = await (await fetch(`${base}/ask`)).text();
  const field = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page)?.[1];
  expect(field).toBeDefined();
  const form = new FormData();
  form.set(field!, "");
  form.set("question", question);
  const res = await fetch(`${base}/ask`, { method: "POST", body: form, headers: { origin: base } });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

describe.each([
  ["next build + next start", "start"],
  ["next dev", "dev"],
] as const)(`Next.js ${NEXT}, create-next-app's tsconfig.json untouched: %s`, (_title, mode) => {
  let server: ServerProcess;
  let base: string;
  beforeAll(async () => {
    if (mode === "start") await run(join(app, "node_modules/.bin/next"), ["build"], { cwd: app, env: serverEnv() });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServer(join(app, "node_modules/.bin/next"), [mode, "-H", "127.0.0.1", "-p", String(port)], {
      cwd: app,
      env: serverEnv(),
      ready: /Ready in/,
    });
  }, BUILD_MILLIS);
  afterAll(async () => {
    await server?.stop();
  });

  it("keeps the tsconfig.json as create-next-app wrote it (no experimentalDecorators)", () => {
    expect(readFileSync(join(app, "tsconfig.json"), "utf8")).toBe(readFileSync(join(fixtures, "next/tsconfig.json"), "utf8"));
  });

  it("traces an app-router route handler: agent > tool > llm with model and tokens", async () => {
    const question = `${mode} route: weather in San Francisco?`;
    expect(await postJson(`${base}/api/agent`, { question })).toEqual({ answer: "Word" });
    await expectAgentTrace(ctx.backend, question);
  }, 120000);

  it("traces a server action submitted by a form", async () => {
    const question = `${mode} action: weather in San Francisco?`;
    await submitAskForm(base, question);
    await expectAgentTrace(ctx.backend, question);
  }, 120000);

  it("traces a pages-router API route", async () => {
    const question = `${mode} pages: weather in San Francisco?`;
    expect(await postJson(`${base}/api/pages-agent`, { question })).toEqual({ answer: "Word" });
    await expectAgentTrace(ctx.backend, question);
  }, 120000);
});
