// `npm run fuzz`: the hostile-input properties of test/fuzz as a longer campaign. The seed is
// random unless FUZZ_SEED is given, FUZZ_RUNS cases per HTTP property (ten times as many per pure
// one); extra arguments go to mocha (`npm run fuzz -- -g scim`). A failure prints fast-check's
// report (seed, path, counterexample); the last line sums up the campaign.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_RUNS = 3000;

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(0x7fffffff);
const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : DEFAULT_RUNS;
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) {
  process.stderr.write('fuzz: FUZZ_SEED and FUZZ_RUNS must be integers (FUZZ_RUNS at least 1)\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'sso-harness-fuzz-'));
const report = join(dir, 'cases.jsonl');
process.stdout.write(`fuzz: seed ${seed}, ${runs} cases per HTTP property, ${runs * 10} per pure property\n`);

const started = performance.now();
const mocha = spawn(
  join('node_modules', '.bin', 'mocha'),
  ['--no-config', '-n', 'import=tsx', '--extension', 'ts', '--timeout', '0', '--reporter', 'spec', 'test/fuzz/**/*.test.ts', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: String(runs), FUZZ_REPORT: report } },
);
mocha.on('exit', (code, signal) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const cases = new Map<string, number>();
  if (existsSync(report)) {
    for (const line of readFileSync(report, 'utf8').split('\n').filter(Boolean)) {
      const { entryPoint, cases: n } = JSON.parse(line) as { entryPoint: string; cases: number };
      cases.set(entryPoint, (cases.get(entryPoint) ?? 0) + n);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const total = [...cases.values()].reduce((a, b) => a + b, 0);
  const perEntry = [...cases].map(([entry, n]) => `${entry} ${n}`).join(', ');
  const verdict = code === 0 ? 'passed' : `FAILED (${signal ?? `mocha exit ${code}`}; replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)`;
  process.stdout.write(`fuzz: ${verdict}: seed ${seed}, ${total} cases in ${seconds} s: ${perEntry || 'no cases ran'}\n`);
  process.exit(code ?? 1);
});
