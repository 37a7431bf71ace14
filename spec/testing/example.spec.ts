// The example of docs/testing.md, as written there (plus this header).
/* eslint-disable @typescript-eslint/no-namespace, @typescript-eslint/no-empty-object-type -- jest's matcher types are a global namespace */
import { Tracer, observe } from "judgeval";
import { captureTraces, judgevalMatchers, outline, type JudgevalMatchers } from "judgeval/testing";

declare global {
  namespace jest {
    interface Matchers<R> extends JudgevalMatchers<R> {}
  }
}
expect.extend(judgevalMatchers);

class WeatherAgent {
  @observe({ spanType: "tool" })
  async forecast(city: string): Promise<string> {
    return city === "Oslo" ? "snow" : "sun";
  }

  @observe({ spanType: "agent" })
  async answer(question: string): Promise<string> {
    const city = question.split(" ").pop() ?? "";
    return `Expect ${await this.forecast(city)} in ${city}`;
  }
}

test("the agent asks the forecast tool for the city in the question", async () => {
  const { result, traces } = await captureTraces(() => new WeatherAgent().answer("weather in Oslo"));

  expect(result).toBe("Expect snow in Oslo");
  expect(outline(traces)).toBe("agent answer\n  tool forecast");
  expect(traces).toHaveSpan({ kind: "tool", name: "forecast", input: { city: "Oslo" }, output: "snow" });
});

test("a failing tool is recorded on its span", async () => {
  const flaky = observe(async () => Promise.reject(new Error("rate limited")), { spanType: "tool", spanName: "flaky" });
  const { traces } = await captureTraces(() => Tracer.span("turn", () => flaky().catch(() => "fallback")));
  expect(traces).toHaveSpan({ name: "flaky", error: /rate limited/ });
});
