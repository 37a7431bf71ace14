/**
 * An experiment script: run an observed agent over a list of inputs, a few at a time, with one
 * offline tracer per item so each run becomes one dataset example tied to its trace.
 * Runs against the built-in local backend: no keys, no network.
 *
 *   npm run experiment
 *
 * Against the Judgment platform, drop the LocalBackend lines and set JUDGMENT_API_KEY and
 * JUDGMENT_ORG_ID in the environment.
 */
import { Example, Judgeval, Tracer, observe } from "judgeval";
import { LocalBackend } from "judgeval/dev";

class SupportAgent {
  @observe({ spanType: "tool" })
  async lookup(topic: string): Promise<string> {
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
    return `policy for ${topic}: 30 days`;
  }

  @observe({ spanType: "agent" })
  async answer(question: string): Promise<string> {
    const policy = await this.lookup(question.split(" ").pop() ?? question);
    Tracer.setAttribute("policy_found", true);
    return `According to the ${policy}.`;
  }
}

/** Runs `work` on every item, at most `limit` at a time, calling `onDone` after each. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>, onDone: () => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
      onDone();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function progress(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write("\n");
}

async function main(): Promise<void> {
  const backend = await LocalBackend.start();
  const client = await Judgeval.create({
    projectName: "support-experiment",
    apiUrl: backend.url,
    apiKey: backend.apiKey,
    organizationId: backend.organizationId,
  });

  const cases = [
    { input: "What is the refund window for shoes", expected_output: "30 days" },
    { input: "Can I return a jacket", expected_output: "30 days" },
    { input: "How long to return electronics", expected_output: "30 days" },
    { input: "Return policy for books", expected_output: "30 days" },
    { input: "Refund for a damaged lamp", expected_output: "30 days" },
    { input: "Exchange window for shirts", expected_output: "30 days" },
  ];
  const dataset: Example[] = [];
  const agent = new SupportAgent();
  let done = 0;
  progress(0, cases.length);

  await pool(
    cases,
    3,
    async (item) => {
      // One tracer per item: its exampleFields describe this item, and it is active only for this run.
      const tracer = client.offlineTracer({ dataset, exampleFields: item, setActive: false });
      await tracer.run(() => agent.answer(item.input));
      await tracer.shutdown();
    },
    () => progress(++done, cases.length),
  );
  await Tracer.forceFlush();

  console.log(`\n${dataset.length} examples:`);
  for (const example of dataset) console.log(JSON.stringify(example.toJSON()));
  console.log(`\noffline traces stored: ${backend.traces({ offline: true }).length}`);
  await backend.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
