/**
 * Node flags of the production server process, wherever it is started: the launcher (`npm start`,
 * `npm run app`), the test harness, the benchmarks, and the image's CMD and the Kubernetes command
 * (tests/unit/deploy-files.test.ts checks those two carry the same).
 *
 * --max-semi-space-size=32 (MB; Node 20's default is 16): a request's garbage — rows, DTOs, the
 * serialised page — dies young; with a larger young generation fewer scavenges run and less of it
 * is promoted. Measured under the throughput benchmark's load: CPU per task.list call 2.4–3.1 ms
 * against 2.6–3.8 ms, p99 132–165 ms against 209–279 ms (docs/performance.md); the young generation
 * can then hold up to 3 × 32 MB.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=32"];
