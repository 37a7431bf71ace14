import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { promisify } from "node:util";
import type { LocalBackend, StoredSpan } from "../../lib/dev/index.js";

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

/** Where an app's runs send their spans and model calls. */
export interface AppTargets {
  /** The tracer settings of the test's backend (spec/support/backend.ts). */
  tracerConfig: { apiUrl: string; apiKey: string; organizationId: string };
  /** The loopback provider's address, read by the agent as PROVIDER_URL. */
  providerUrl: string;
}

/** Runs `command` in the app at `dir` with the backend's credentials and the provider's address. */
export function runInApp(dir: string, targets: AppTargets, command: string, args: string[]): Promise<Outcome> {
  const { apiUrl, apiKey, organizationId } = targets.tracerConfig;
  const env = {
    ...process.env,
    JUDGMENT_API_URL: apiUrl,
    JUDGMENT_API_KEY: apiKey,
    JUDGMENT_ORG_ID: organizationId,
    PROVIDER_URL: targets.providerUrl,
  };
  return promisify(execFile)(command, args, { cwd: dir, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof err.code === "number" ? err.code : 1,
      stdout: err.stdout ?? "",
      stderr: err.stderr ?? "",
    }),
  );
}

/**
 * Runs the agent's main.ts (as built or run by `command args`) with one question, checks its answer
 * and its trace at `backend`, and returns how the run ended.
 */
export async function expectTracedRun(backend: LocalBackend, run: (args: string[]) => Promise<Outcome>, label: string): Promise<Outcome> {
  const question = `${label}: weather in San Francisco?`;
  const outcome = await run([question]);
  // the run's stderr in the failure, not only its exit code
  if (outcome.code !== 0) throw new Error(`exit code ${outcome.code}:\n${outcome.stderr}`);
  expect(outcome).toMatchObject({ code: 0, stdout: `${JSON.stringify({ answer: "Word" })}\n` });
  await expectAgentTrace(backend, question);
  return outcome;
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
