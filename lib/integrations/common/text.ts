/** Parses a JSON text a framework recorded (tool arguments, results), keeping the text when it is not JSON. */
export function parsedOrText(value: unknown): unknown {
  if (typeof value !== "string" || value === "") return value === "" ? undefined : value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
