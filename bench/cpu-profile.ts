/**
 * Where a server's CPU time went: reads a V8 .cpuprofile (`node --cpu-prof`) and prints self time
 * grouped by package (node_modules/<name>, Lanes' own code, Node internals, GC, idle) and the
 * heaviest functions. Used to profile Lanes under bench/throughput.ts' load (docs/performance.md).
 *
 *   tsx bench/cpu-profile.ts path/to/CPU.….cpuprofile [--top 30]
 */
import { readFileSync } from "node:fs";
import { argument } from "./cli";

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** The bucket a frame's time is charged to: a package, Lanes' own code, Node, or V8's pseudo-frames. */
export function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    const name = pkg[1]!;
    // Next's compiled copies of other packages are charged to what they are.
    const inner = /next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return inner ? `next (compiled ${inner[1]})` : name;
  }
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("/.next/")) return "Lanes (built app, incl. bundled packages)";
  return "Lanes (other)";
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/cpu-profile.ts <file.cpuprofile>");
  const top = Number(argument("--top") ?? 30);
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const bucket = bucketOf(url, functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/\.next\//, ".next/")}:${lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  const print = (title: string, entries: Map<string, number>, n: number) => {
    process.stdout.write(`\n${title}\n`);
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n))
      process.stdout.write(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  };
  process.stdout.write(`profile: ${(total / 1e6).toFixed(1)} s sampled\n`);
  print("self time by package", buckets, 25);
  print(`top ${top} functions (self time)`, functions, top);
}

main();
