/**
 * Runs the benchmarks in bench/, each in its own node process (so that heap figures do
 * not mix), and prints what each one reports: ratios and scale figures, never pass/fail.
 *
 * Run: npm run bench                 (every benchmark)
 *      npm run bench -- nag          (only bench/nag.ts; several names may be given)
 */
import { execFileSync } from 'child_process';
import { readdirSync } from 'fs';
import { basename, join } from 'path';

const here = __dirname;
const all = readdirSync(here).filter(f => f.endsWith('.ts') && f !== 'run.ts').map(f => basename(f, '.ts')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter(w => !all.includes(w));
if (unknown.length > 0) {
  throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${all.join(', ')}`);
}

for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench/${name}.ts`);
  execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', join(here, `${name}.ts`)], {
    stdio: 'inherit',
    env: { ...process.env, TS_NODE_PROJECT: process.env.TS_NODE_PROJECT ?? 'test/tsconfig.json' },
  });
}
