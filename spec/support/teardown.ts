import { Tracer } from "../../lib/index.js";

// Every tracer a spec file made is stopped when the file ends, so no exporter socket outlives it.
afterAll(() => Tracer.shutdown(2000));
