import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync } from "node:fs";
import { createServer } from "node:net";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { LocalBackend, StoredSpan } from "../../lib/dev/index.js";
import type { Loopback } from "../llm/servers/loopback.js";
import { startResponsesReplay } from "../llm/servers/responsesReplay.js";
import { judgmentEnv, type StartedBackend } from "../support/backend.js";
import { cachedApp, packJudgeval } from "../support/npm-app.js";

const execFileAsync = promisify(execFile);
/** The agent's files (spec/fixtures/toolchains). */
export const fixtures = resolve(__dirname, "../fixtures/toolchains");

/** The recorded replies spec/fixtures/toolchains/agent.ts gets: model and tokens of each call. */
const PLAN_CALL = { "judgment.llm.model": "gpt-5.1", "judgment.usage.non_cached_input_tokens": 45, "judgment.usage.output_tokens": 24 };
const TOOL_CALL = { "judgment.llm.model": "gpt-5.1", "judgment.usage.non_cached_input_tokens": 11, "judgment.usage.output_tokens": 11 };

/**
 * Waits for the trace of the agent asked `question` at `backend` and checks it as received: agent
 * `answer` > llm (the tool call), agent > span `plan` > tool `weather` > llm (the text answer),
 * with the recorded model and token counts and the answer as the agent's output.
 */
export async function expectAgentTrace(backend: LocalBackend, question: string): Promise<void> {
  const isAgent = (s: StoredSpan) =>
    s.name === "answer" && s.ended && JSON.stringify(s.attributes["judgment.input"] ?? "").includes(question);
  const all = await backend.waitForSpans((spans) => {
    const agent = spans.find(isAgent);
    return !!agent && spans.filter((s) => s.traceId === agent.traceId && s.ended).length >= 5;
  });
  const agent = all.find(isAgent)!;
  const trace = all.filter((s) => s.traceId === agent.traceId && s.ended);
  const childrenOf = (parent: StoredSpan) => trace.filter((s) => s.parentSpanId === parent.spanId);
  expect(agent.spanType).toBe("agent");
  expect(agent.attributes["judgment.output"]).toBe('"Word"');
  const [firstCall, plan] = [childrenOf(agent).find((s) => s.spanType === "llm"), childrenOf(agent).find((s) => s.name === "plan")];
  expect(firstCall?.attributes).toMatchObject(PLAN_CALL);
  const tool = plan && childrenOf(plan).find((s) => s.name === "weather");
  expect(tool?.spanType).toBe("tool");
  expect(JSON.stringify(tool?.attributes["judgment.input"])).toContain("San Francisco");
  const toolCall = tool && childrenOf(tool).find((s) => s.spanType === "llm");
  expect(toolCall?.attributes).toMatchObject(TOOL_CALL);
}

/** How a run of a command in an app ended. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** An app of the toolchain matrix with the agent in it: see {@link useAgentApp}. */
export interface AgentApp {
  /** The app's folder (valid inside tests). */
  readonly dir: string;
  /** Runs `command` in the app with the backend's credentials and the provider's address. */
  run(command: string, args: string[]): Promise<Outcome>;
  /** Runs a binary of the app's node_modules/.bin in `cwd` (default: the app); fails with its output. */
  build(bin: string, args: string[], cwd?: string): Promise<void>;
  /**
   * Asks the agent one question by `command args question`, checks its answer and its trace at the
   * backend, and returns how the run ended.
   */
  expectTraced(label: string, command: string, args: string[]): Promise<Outcome>;
}

/**
 * Before the file's tests: installs (once, cached) an app named `name` with `dependencies` and
 * judgeval from `npm pack`, copies the agent (agent.ts, main.ts, the scripts tsconfig.json) and what
 * `setUp` adds into it, and starts the loopback provider replaying the agent's recorded answers.
 */
export function useAgentApp(
  started: StartedBackend,
  name: string,
  dependencies: Record<string, string>,
  setUp: (dir: string) => void = () => undefined,
): AgentApp {
  let dir = "";
  let provider: Loopback | undefined;
  beforeAll(async () => {
    // native binaries (esbuild, rolldown) are optional dependencies
    dir = await cachedApp(name, { dependencies }, await packJudgeval(), { optional: true });
    for (const file of ["agent.ts", "main.ts", "scripts/tsconfig.json"]) cpSync(join(fixtures, file), join(dir, basename(file)));
    setUp(dir);
    provider = await startResponsesReplay();
  }, 600000);
  afterAll(async () => {
    await provider?.close();
  });
  const run = (command: string, args: string[]): Promise<Outcome> => {
    const env = {
      ...process.env,
      ...judgmentEnv(started),
      PROVIDER_URL: provider?.url,
    };
    return execFileAsync(command, args, { cwd: dir, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof err.code === "number" ? err.code : 1,
        stdout: err.stdout ?? "",
        stderr: err.stderr ?? "",
      }),
    );
  };
  return {
    get dir() {
      return dir;
    },
    run,
    build: async (bin, args, cwd = dir) => {
      await execFileAsync(join(dir, "node_modules/.bin", bin), args, { cwd });
    },
    expectTraced: async (label, command, args) => {
      const question = `${label}: weather in San Francisco?`;
      const outcome = await run(command, [...args, question]);
      // the run's stderr in the failure, not only its exit code
      if (outcome.code !== 0) throw new Error(`exit code ${outcome.code}:\n${outcome.stderr}`);
      expect(outcome).toMatchObject({ code: 0, stdout: `${JSON.stringify({ answer: "Word" })}\n` });
      await expectAgentTrace(started.backend, question);
      return outcome;
    },
  };
}

/** A free loopback port (for servers that take a port number, not 0). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** A server process started by {@link startServer}. */
export interface ServerProcess {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Stops it and every process it started (its process group), and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `command` in its own process group and resolves once its output matches `ready`; rejects
 * with the output when it exits first.
 */
export async function startServer(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp },
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then(() => reject(new Error(`${command} ${args.join(" ")} exited before it was ready:\n${output}`)));
  });
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, "SIGTERM");
        await exited;
      }
    },
  };
}
