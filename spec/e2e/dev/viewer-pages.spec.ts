import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { LocalBackend } from "../../../lib/dev/index.js";
import { findChromium, isCI, launchChromium, screenshotDir } from "../../support/chromium.js";
import { encodeSpans, ms, newSpanId, newTraceId, post, T0, type SpanInput } from "../../support/otlp-fixtures.js";

/**
 * The viewer's pages in headless Chromium on data sent over OTLP: list filters
 * and search, the trace page (collapse, chat rendering, stream items folded),
 * sessions, experiments side by side, and hostile traces. Assertions wait on
 * the DOM; the timeouts are test budgets, not measurements. Screenshots of a
 * session and of two runs side by side go where `screenshotDir` says.
 */
const chromiumPath = findChromium();
if (!chromiumPath && isCI()) throw new Error("viewer e2e: chromium is not installed but CI is set");
const describeWithChromium = chromiumPath ? describe : describe.skip;

/** Markup in a message: it must show as text (an innerHTML would make a <b> element). */
const ASKED = "<b>Order 4411</b>, placed Monday.";
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>`;

describeWithChromium("viewer pages in headless Chromium", () => {
  let backend: LocalBackend;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};
  const spanIds: Record<string, string> = {};

  async function send(project: string, spans: SpanInput[], offline = false, resource?: Record<string, unknown>): Promise<void> {
    const path = offline ? "/otel/v1/offline-traces" : "/otel/v1/traces";
    const reply = await post(backend, path, encodeSpans(spans, resource), {
      "content-type": "application/x-protobuf",
      "x-project-id": backend.projectId(project)!,
    });
    expect(reply.status).toBe(200);
  }

  beforeAll(async () => {
    backend = await LocalBackend.start();
    // A chat agent: an LLM call with provider messages, a streamed generator folded into one row, a tool.
    const chat = (ids["chat"] = newTraceId());
    const root = (spanIds["root"] = newSpanId());
    const llm = (spanIds["llm"] = newSpanId());
    const gen = (spanIds["gen"] = newSpanId());
    await send("support", [
      {
        traceId: chat,
        spanId: root,
        name: "support-agent",
        start: T0,
        end: T0 + ms(900),
        attributes: {
          "judgment.span_kind": "agent",
          "judgment.session_id": "conv-7",
          "judgment.input": '{"question":"Where is my parcel?"}',
          "judgment.output": '"It ships tomorrow."',
        },
      },
      {
        traceId: chat,
        spanId: llm,
        parentSpanId: root,
        name: "openai.chat",
        start: T0 + ms(10),
        end: T0 + ms(400),
        attributes: {
          "judgment.span_kind": "llm",
          "judgment.llm.model": "gpt-4o-mini",
          "judgment.usage.non_cached_input_tokens": 40,
          "judgment.usage.output_tokens": 9,
          "judgment.usage.total_cost_usd": 0.0000024,
          "judgment.input": JSON.stringify({
            model: "gpt-4o-mini",
            messages: [
              { role: "system", content: "Be brief." },
              { role: "user", content: "Where is my parcel?\nOrder 4411." },
            ],
          }),
          "judgment.output": JSON.stringify({ choices: [{ message: { role: "assistant", content: "It ships tomorrow." } }] }),
        },
      },
      {
        traceId: chat,
        spanId: gen,
        parentSpanId: root,
        name: "stream",
        start: T0 + ms(410),
        end: T0 + ms(800),
        attributes: { "judgment.span_kind": "generator" },
      },
      ...Array.from({ length: 30 }, (_, i) => ({
        traceId: chat,
        spanId: newSpanId(),
        parentSpanId: gen,
        name: `chunk ${i}`,
        start: T0 + ms(420 + i),
        end: T0 + ms(421 + i),
        attributes: { "judgment.span_kind": "generator_item", "judgment.output": `tok${i}` },
      })),
      {
        traceId: chat,
        spanId: newSpanId(),
        parentSpanId: root,
        name: "lookup-order",
        start: T0 + ms(820),
        end: T0 + ms(850),
        attributes: { "judgment.span_kind": "tool" },
      },
    ]);
    ids["second"] = newTraceId();
    await send("support", [
      {
        traceId: ids["second"],
        spanId: newSpanId(),
        name: "support-agent",
        start: T0 + ms(5000),
        // Line breaks and markup in a message: shown as lines of text, never parsed.
        attributes: { "judgment.session_id": "conv-7", "judgment.input": JSON.stringify(`and the invoice?\n${ASKED}`) },
      },
    ]);
    ids["billing"] = newTraceId();
    await send("billing", [
      {
        traceId: ids["billing"],
        spanId: newSpanId(),
        name: XSS,
        start: T0 + ms(6000),
        status: { code: 2 },
        attributes: { "judgment.input": XSS, [XSS]: XSS },
      },
    ]);
    // An error that propagated: the root and a step failed because a call deep under them did, after 80 good steps.
    const checkout = (ids["checkout"] = newTraceId());
    const checkoutRoot = (spanIds["checkoutRoot"] = newSpanId());
    const charge = newSpanId();
    spanIds["failing"] = newSpanId();
    await send("checkout", [
      { traceId: checkout, spanId: checkoutRoot, name: "checkout", start: T0, end: T0 + ms(500), status: { code: 2 } },
      ...Array.from({ length: 80 }, (_, i) => ({
        traceId: checkout,
        spanId: newSpanId(),
        parentSpanId: checkoutRoot,
        name: `step ${i}`,
        start: T0 + ms(1 + i),
        end: T0 + ms(2 + i),
      })),
      {
        traceId: checkout,
        spanId: charge,
        parentSpanId: checkoutRoot,
        name: "charge-card",
        start: T0 + ms(100),
        end: T0 + ms(400),
        status: { code: 2 },
      },
      { traceId: checkout, spanId: newSpanId(), parentSpanId: charge, name: "load-card", start: T0 + ms(110), end: T0 + ms(120) },
      {
        traceId: checkout,
        spanId: spanIds["failing"],
        parentSpanId: charge,
        name: "payments.call",
        start: T0 + ms(130),
        end: T0 + ms(390),
        status: { code: 2, message: "card declined" },
      },
      {
        traceId: checkout,
        spanId: newSpanId(),
        parentSpanId: checkoutRoot,
        name: "rollback",
        start: T0 + ms(410),
        end: T0 + ms(490),
        status: { code: 2 },
      },
    ]);
    // A trace still being received: its root has not ended.
    ids["open"] = newTraceId();
    await send("support", [{ traceId: ids["open"], spanId: newSpanId(), name: "long-job", start: T0 + ms(7000), end: 0n }]);
    // Two runs of the experiment runner over the same items, scored by exact match: one regression, one improvement.
    const items = [
      { input: "refund window?", expected: "30 days", outputs: ["30 days", "thirty days"] },
      { input: "returns without receipt?", expected: "no", outputs: ["no", "no"] },
      { input: "ship to Canada?", expected: "yes", outputs: ["no", "yes"] },
    ];
    for (const [r, run] of ["baseline-0a1b2c3d", "candidate-4e5f6a7b"].entries()) {
      for (const [i, item] of items.entries()) {
        const output = item.outputs[r];
        const score = output === item.expected ? 1 : 0;
        const traceId = newTraceId();
        ids[`${run}:${i}`] = traceId;
        await send(
          "support",
          [
            {
              traceId,
              spanId: newSpanId(),
              name: "support-eval",
              // the candidate run starts after the baseline: the newest run is B
              start: BigInt(Date.now() - 10_000 + r * 5_000 + i) * 1_000_000n,
              attributes: {
                "judgment.input": item.input,
                "judgment.output": output,
                "judgeval.experiment.item": i,
                "judgeval.experiment.expected_output": item.expected,
                "judgeval.experiment.scores": JSON.stringify([{ name: "exact_match", score, pass: score === 1 }]),
              },
            },
          ],
          true,
          { "service.name": "support", "judgeval.experiment.run": run },
        );
      }
    }
    browser = await launchChromium(chromiumPath!);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
  });

  const rowIds = (): Promise<string[]> =>
    page.locator("tr[data-trace-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id")!));

  it("lists every project, filters by project, status and session, and searches inputs", async () => {
    await page.goto(`${backend.url}/`);
    await page.locator(`tr[data-trace-id="${ids["chat"]}"]`).waitFor();
    expect(await rowIds()).toEqual(expect.arrayContaining([ids["chat"], ids["second"], ids["billing"]]));
    await expect(page.locator(`tr[data-trace-id="${ids["chat"]}"] .cost`).textContent()).resolves.toBe("$0.0000024");
    await expect(page.locator(`tr[data-trace-id="${ids["billing"]}"] .project`).textContent()).resolves.toBe("billing");

    await page.selectOption('select[name="project"]', "billing");
    await page.waitForURL(/project=billing/);
    await page.locator(`tr[data-trace-id="${ids["billing"]}"]`).waitFor();
    expect(await rowIds()).toEqual([ids["billing"]]);

    await page.goto(`${backend.url}/?status=error`);
    await page.locator(`tr[data-trace-id="${ids["billing"]}"]`).waitFor();
    expect((await rowIds()).sort()).toEqual([ids["billing"], ids["checkout"]].sort());

    await page.goto(`${backend.url}/?session=conv-7`);
    await page.locator(`tr[data-trace-id="${ids["second"]}"]`).waitFor();
    expect((await rowIds()).sort()).toEqual([ids["chat"], ids["second"]].sort());

    await page.goto(`${backend.url}/`);
    await page.fill('input[name="q"]', "invoice");
    await page.press('input[name="q"]', "Enter");
    await page.waitForURL(/q=invoice/);
    await page.locator(`tr[data-trace-id="${ids["second"]}"]`).waitFor();
    expect(await rowIds()).toEqual([ids["second"]]);
    await page.goto(`${backend.url}/?q=nothing-like-this`);
    await page.locator("text=No trace matches these filters.").waitFor();
  });

  it("shows a trace as a collapsible tree with stream items folded, chat-rendered LLM messages and exact cost", async () => {
    await page.goto(`${backend.url}/traces/${ids["chat"]}`);
    const labels = (): Promise<string[]> => page.locator(".waterfall .row .label").allTextContents();
    await page.locator(".waterfall .row.stream").waitFor();
    expect(await labels()).toEqual(["support-agent", "openai.chat", "stream", "30 stream items", "lookup-order"]);
    await expect(page.locator(".axis .tick").allTextContents()).resolves.toEqual(
      ["0.00 ms", "213 ms", "425 ms", "638 ms", "850 ms"].map(() => expect.any(String)),
    );

    await page.locator(".waterfall .row.stream").click();
    await page.locator('.waterfall .row .label >> text="chunk 29"').waitFor();
    expect((await labels()).length).toBe(35);

    await page.locator(`.waterfall .row[data-span-id="${spanIds["root"]}"] .toggle`).click();
    await page.locator('.waterfall .row .label >> text="openai.chat"').waitFor({ state: "detached" });
    expect(await labels()).toEqual(["support-agent"]);
    await page.locator(`.waterfall .row[data-span-id="${spanIds["root"]}"] .toggle`).click();
    await page.locator('.waterfall .row .label >> text="openai.chat"').click();

    await page.locator('#detail .span-name >> text="openai.chat"').waitFor();
    await expect(page.locator("#span-input .msg.role-system").textContent()).resolves.toContain("Be brief.");
    await expect(page.locator("#span-input .msg.role-user").textContent()).resolves.toContain("Where is my parcel?");
    // A message's line breaks are kept: two lines of text, not one.
    await expect(page.locator("#span-input .msg.role-user .msg-text").innerText()).resolves.toBe("Where is my parcel?\nOrder 4411.");
    await expect(page.locator("#span-output .msg.role-assistant").textContent()).resolves.toContain("It ships tomorrow.");
    await expect(page.locator("#detail .facts").textContent()).resolves.toMatch(/parent\s*support-agent[\s\S]*cost \$0\.0000024/);
    await page.locator("#span-input .raw-toggle").click();
    await expect(page.locator("#span-input .json").isVisible()).resolves.toBe(true);
  });

  it("lists sessions and shows one as a conversation", async () => {
    await page.goto(`${backend.url}/sessions`);
    const row = page.locator('tr[data-session-id="conv-7"]');
    await row.waitFor();
    await expect(row.locator("td").allTextContents()).resolves.toEqual([
      "conv-7",
      "support",
      "2",
      "",
      expect.any(String),
      expect.any(String),
      "49",
      "$0.0000024",
      "",
    ]);
    await row.locator("a").click();
    await page.waitForURL(/\/sessions\/conv-7$/);
    await page.locator(".turn").nth(1).waitFor();
    await expect(page.locator(".turn").allTextContents()).resolves.toEqual([
      expect.stringContaining("Where is my parcel?"),
      expect.stringContaining("and the invoice?"),
    ]);
    // The input (a JSON string) shows as its text: its line break kept, its markup as text.
    const asked = page.locator(".turn").nth(1).locator(".role-user .msg-text");
    await expect(asked.innerText()).resolves.toBe(`and the invoice?\n${ASKED}`);
    await expect(page.locator("#app b").count()).resolves.toBe(0);
    await page.screenshot({ path: join(screenshotDir, "viewer-session.png") });
  });

  it("says a session link with bad percent-encoding is malformed, without an uncaught error", async () => {
    const errors: string[] = [];
    const onError = (err: Error) => void errors.push(err.message);
    page.on("pageerror", onError);
    try {
      await page.goto(`${backend.url}/sessions/conv-%E0%A4%A`);
      await expect(page.locator("#bad-link").textContent()).resolves.toMatch(/session link is malformed/);
      await expect(page.locator("#app").textContent()).resolves.not.toMatch(/Loading/);
      await page.locator('#bad-link a[href="/sessions"]').click();
      await page.locator('tr[data-session-id="conv-7"]').waitFor();
    } finally {
      page.off("pageerror", onError);
    }
    expect(errors).toEqual([]);
  });

  it("shows experiment runs with their scores, and two side by side: expected output, both outputs and scores, regressions first", async () => {
    await page.goto(`${backend.url}/experiments`);
    await page.locator("#compare tr.example").nth(2).waitFor();
    // The nav is drawn from the page table, the current page marked.
    const nav = await page.locator("nav a").evaluateAll((as) => as.map((a) => `${a.getAttribute("href")} ${a.textContent} ${a.className}`));
    expect(nav).toEqual(["/ Traces ", "/sessions Sessions ", "/experiments Experiments active"]);
    const runs = await page
      .locator("tr[data-run-id]")
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-run-id"), tr.querySelector(".run-scores")!.textContent]));
    expect(runs).toEqual([
      ["candidate-4e5f6a7b", "exact_match 0.67"],
      ["baseline-0a1b2c3d", "exact_match 0.67"],
    ]);
    const compare = () =>
      page.locator("#compare tr.example").evaluateAll((trs) =>
        trs.map((tr) => ({
          cls: tr.className,
          cells: [".input", ".expected", "td:nth-child(3) a", "td:nth-child(4)", "td:nth-child(5) a", "td:nth-child(6)", ".delta"].map(
            (sel) => tr.querySelector(sel)!.textContent.trim(),
          ),
        })),
      );
    // B is the newest run, A the one before; the regression comes first, the improvement last.
    expect(await compare()).toEqual([
      {
        cls: "example regressed",
        cells: ["refund window?", "30 days", "30 days", "exact_match 1.00", "thirty days", "exact_match 0.00", "-1.00"],
      },
      { cls: "example", cells: ["returns without receipt?", "no", "no", "exact_match 1.00", "no", "exact_match 1.00", "0.00"] },
      { cls: "example improved", cells: ["ship to Canada?", "yes", "no", "exact_match 0.00", "yes", "exact_match 1.00", "+1.00"] },
    ]);
    await page.screenshot({ path: join(screenshotDir, "viewer-experiments.png") });

    // Filter to the improvements; sort by A's score; both kept in the address.
    await page.selectOption('select[name="filter"]', "improved");
    await page.waitForURL(/filter=improved/);
    expect((await compare()).map((r) => r.cells[0])).toEqual(["ship to Canada?"]);
    await page.selectOption('select[name="filter"]', "all");
    await page.selectOption('select[name="sort"]', "a");
    await page.waitForURL(/sort=a/);
    expect((await compare()).map((r) => r.cells[0])).toEqual(["ship to Canada?", "refund window?", "returns without receipt?"]);

    // An output opens its item's trace.
    await page.locator("#compare tr.example", { hasText: "ship to Canada?" }).locator("td:nth-child(5) a").click();
    await page.waitForURL(new RegExp(`/traces/${ids["candidate-4e5f6a7b:2"]}\\?offline=true$`));
    await expect(page.locator("#trace-title").textContent()).resolves.toBe("support-eval");
  });

  const focused = (attribute: string): Promise<string | null> =>
    page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attribute);

  it("moves through the trace, session and experiment lists with the keyboard and opens the focused row with Enter", async () => {
    await page.goto(`${backend.url}/`);
    await page.locator("tr[data-trace-id]").nth(2).waitFor();
    const order = await rowIds();
    await page.keyboard.press("j");
    expect(await focused("data-trace-id")).toBe(order[0]);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("j");
    expect(await focused("data-trace-id")).toBe(order[2]);
    await page.keyboard.press("k");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowDown");
    expect(await focused("data-trace-id")).toBe(order[1]);
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/traces/${order[1]}\\?offline=(true|false)$`));

    await page.goto(`${backend.url}/sessions`);
    await page.locator('tr[data-session-id="conv-7"]').waitFor();
    await page.keyboard.press("j");
    expect(await focused("data-session-id")).toBe("conv-7");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/sessions\/conv-7$/);

    await page.goto(`${backend.url}/experiments`);
    await page.locator("#compare tr.example").nth(2).waitFor();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    // The second item (regressions first) opens run A's trace of it.
    await page.waitForURL(new RegExp(`/traces/${ids["baseline-0a1b2c3d:1"]}\\?offline=true$`));
  });

  it("moves through the span tree with the keyboard: up/down, left/right to collapse and expand, Enter to select", async () => {
    await page.goto(`${backend.url}/traces/${ids["chat"]}`);
    const labels = (): Promise<string[]> => page.locator(".waterfall .row .label").allTextContents();
    await page.locator(".waterfall .row.stream").waitFor();
    // The tree has the keyboard from the start, on its first row.
    expect(await focused("data-span-id")).toBe(spanIds["root"]);
    await page.keyboard.press("ArrowLeft");
    await page.locator('.waterfall .row .label >> text="openai.chat"').waitFor({ state: "detached" });
    expect(await labels()).toEqual(["support-agent"]);
    await page.keyboard.press("ArrowRight");
    await page.locator('.waterfall .row .label >> text="openai.chat"').waitFor();
    await page.keyboard.press("ArrowRight");
    expect(await focused("data-span-id")).toBe(spanIds["llm"]);
    await page.keyboard.press("Enter");
    await page.locator('#detail .span-name >> text="openai.chat"').waitFor();
    expect(await page.locator(".row.selected").getAttribute("data-span-id")).toBe(spanIds["llm"]);
    await page.keyboard.press("ArrowLeft");
    expect(await focused("data-span-id")).toBe(spanIds["root"]);
    // Down to the folded stream items; → opens them, ← folds them again.
    for (const key of ["j", "ArrowDown", "j"]) await page.keyboard.press(key);
    expect(await focused("data-stream")).not.toBeNull();
    await page.keyboard.press("ArrowRight");
    await page.locator('.waterfall .row .label >> text="chunk 29"').waitFor();
    await page.keyboard.press("ArrowLeft");
    await page.locator('.waterfall .row .label >> text="chunk 29"').waitFor({ state: "detached" });
    await page.keyboard.press("k");
    expect(await focused("data-span-id")).toBe(spanIds["gen"]);
  });

  it("opens an error trace on the span that failed, scrolled into view", async () => {
    await page.goto(`${backend.url}/traces/${ids["checkout"]}`);
    await page.locator('#detail .span-name >> text="payments.call"').waitFor();
    const row = page.locator(`.waterfall .row[data-span-id="${spanIds["failing"]}"]`);
    await expect(row.getAttribute("class")).resolves.toMatch(/\bselected\b/);
    expect(page.url()).toMatch(new RegExp(`#span-${spanIds["failing"]}$`));
    await expect(page.locator("#detail .facts").textContent()).resolves.toContain("card declined");
    const [box, view] = await Promise.all([row.boundingBox(), page.locator(".waterfall .rows").boundingBox()]);
    expect(box!.y).toBeGreaterThanOrEqual(view!.y);
    expect(box!.y + box!.height).toBeLessThanOrEqual(view!.y + view!.height);
    // The keyboard starts there too.
    expect(await focused("data-span-id")).toBe(spanIds["failing"]);
    // A span named in the address wins over the failing one.
    await page.goto(`${backend.url}/traces/${ids["checkout"]}?offline=false#span-${spanIds["checkoutRoot"]}`);
    await page.locator('#detail .span-name >> text="checkout"').waitFor();
    expect(await page.locator(".row.selected").getAttribute("data-span-id")).toBe(spanIds["checkoutRoot"]);
  });

  it('says "live" only for the page following new spans; a trace with open spans is "in progress", an offline one "offline"', async () => {
    await page.goto(`${backend.url}/traces/${ids["open"]}`);
    await page.locator("#live-indicator:not(.off)").waitFor();
    await page.locator("#trace-title").waitFor();
    await expect(page.locator("#live-indicator").getAttribute("title")).resolves.toBe("updates as spans arrive");
    await expect(page.locator(".trace-header .badge").allTextContents()).resolves.toEqual(["span", "in progress"]);
    await expect(page.locator("#app").textContent()).resolves.not.toMatch(/\blive\b/i);
    await page.goto(`${backend.url}/traces/${ids["baseline-0a1b2c3d:0"]}?offline=true`);
    await page.locator("#trace-title").waitFor();
    await expect(page.locator(".trace-header .badge").allTextContents()).resolves.toEqual(["span", "ok", "offline"]);
    for (const path of ["/", "/sessions", "/sessions/conv-7", "/experiments"]) {
      await page.goto(`${backend.url}${path}`);
      await page.locator("#app h1, #app table").first().waitFor();
      await expect(page.locator("#app").textContent()).resolves.not.toMatch(/\blive\b/i);
    }
  });

  it("keeps hostile names and values as text", async () => {
    await page.goto(`${backend.url}/traces/${ids["billing"]}`);
    await page.locator(".waterfall .row .label").first().click();
    await page.locator("#span-input").waitFor();
    await expect(page.locator("#trace-title").textContent()).resolves.toBe(XSS);
    await expect(page.locator("#detail img, #app img, #app script").count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).resolves.toBeUndefined();
  });

  it("renders a hostile trace: JSON nested 20,000 deep, a 9.5 MB attribute, and 50,000 spans", async () => {
    const traceId = newTraceId();
    const root = newSpanId();
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    await send("hostile", [
      { traceId, spanId: root, name: "hostile-root", start: T0, end: T0 + ms(60_000), attributes: { "judgment.input": deep } },
    ]);
    const huge = newSpanId();
    await send("hostile", [
      {
        traceId,
        spanId: huge,
        parentSpanId: root,
        name: "huge",
        start: T0 + ms(1),
        attributes: { "judgment.output": "x".repeat(9_500_000) },
      },
    ]);
    // 50,000 spans in requests under the per-request cap.
    let parent = root;
    for (let batch = 0; batch < 5; batch++) {
      const spans: SpanInput[] = [];
      for (let i = 0; i < 10_000; i++) {
        const spanId = newSpanId();
        // Half a chain (deep nesting of spans), half flat siblings.
        spans.push({
          traceId,
          spanId,
          parentSpanId: i % 2 === 0 ? parent : root,
          name: `s${batch * 10_000 + i}`,
          start: T0 + ms(2 + batch * 10_000 + i),
        });
        if (i % 2 === 0) parent = spanId;
      }
      await send("hostile", spans);
    }
    expect(backend.traces({ traceId })[0].spanCount).toBe(50_002);

    await page.goto(`${backend.url}/traces/${traceId}`);
    await page.locator('.waterfall .row .label >> text="hostile-root"').waitFor({ timeout: 30_000 });
    // Every page of the outline was fetched.
    await expect(page.locator(".fact", { hasText: "spans" }).first().textContent()).resolves.toMatch(/spans\s*50002$/);
    // Only the rows in view exist in the page.
    expect(await page.locator(".waterfall .row").count()).toBeLessThan(200);
    await page.locator('.waterfall .row .label >> text="hostile-root"').click();
    await page.locator("#span-input .json-node").first().waitFor({ timeout: 30_000 });

    await page.goto(`${backend.url}/traces/${traceId}#span-${huge}`);
    await page.locator("#span-output .more").waitFor({ timeout: 30_000 });
    const shown = await page.locator("#span-output .text-block").textContent();
    expect(shown!.length).toBeLessThan(3000);
    await page.locator("#span-output .more").click();
    await expect(page.locator("#span-output .more").textContent()).resolves.toMatch(/more characters/);
    // The page still answers.
    await expect(page.evaluate(() => document.querySelectorAll(".waterfall .row").length)).resolves.toBeGreaterThan(0);
  }, 120_000);
});
