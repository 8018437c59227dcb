// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by origin
// (a package in node_modules, a folder of src/, Node internals, GC).
//   npx tsx bench/profile-summary.ts <file.cpuprofile | directory> [top=25]
// Given a directory (--cpu-prof-dir), it reads the largest profile there: tsx's loader thread
// writes a small second one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [target, topArg] = process.argv.slice(2);
if (!target) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile | directory> [top]\n');
  process.exit(0);
}
function largestProfile(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
  return files[0];
}
const file = statSync(target).isDirectory() ? largestProfile(target) : target;
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

function origin(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  const src = /\/(src|bench|test)\/(?:([^/]+)\/)?/.exec(url);
  if (src) return src[2] && !src[2].includes('.') ? `${src[1]}/${src[2]}` : (src[1] as string);
  return url;
}

const selfByFunction = new Map<string, number>();
const selfByOrigin = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*\/(node_modules|src|bench)\//, '$1/').replace(/^file:\/\//, '');
  const key = `${functionName || '(anonymous)'}  ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + dt);
  const o = origin(url, functionName);
  selfByOrigin.set(o, (selfByOrigin.get(o) ?? 0) + dt);
  total += dt;
});

const print = (title: string, m: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}\n`);
  }
};
print('self time by origin', selfByOrigin, 15);
print('self time by function', selfByFunction, top);
