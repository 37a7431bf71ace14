/**
 * The specs' test environment: jest's Node environment, in a worker that drops Node 22's one-time
 * "SQLite is an experimental feature" warning, as the package's own commands do. The local backend
 * the specs run on loads `node:sqlite` in the worker itself, so without this every `npm test`
 * printed the warning once per worker.
 */
import "../../lib/dev/cli/quiet-sqlite-warning";
import NodeEnvironment from "jest-environment-node";

export default NodeEnvironment;
