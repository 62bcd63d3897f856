/**
 * The benchmarks: synthesis time and peak memory of this library against hand-written
 * aws-cdk-lib code (the floor) and `aws-cdk-github-oidc` (the nearest peer), at platform
 * scale, plus the nag pack's cost and the test suite's wall time.
 *
 * Every measurement (one variant, one size, one run) is a child node process that loads
 * the variant's modules, builds the app and synthesizes it; rows run several times with
 * the variants interleaved (so that machine noise hits all alike) and report medians and
 * ratios. Before measuring, each row is built once per variant to check that the variants
 * produce the same resources. Results merge into bench/results/latest.{json,md}.
 *
 * Run: npm run bench                          every row (about 10 minutes on 2 cores, half of it npm test)
 *      npm run bench -- github nag            some groups or row ids (see --list)
 *      npm run bench -- --skip-test           everything but `npm test`
 *      npm run bench -- --runs 3 github-499   fewer runs
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { cpus, tmpdir, totalmem } from 'os';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';
import type { ChildRequest, Sample } from './child';
import type { VariantName } from './workloads';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rewriteBarrels } = require('../scripts/lazy-barrels') as { rewriteBarrels: (dir: string) => unknown };

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
/** The compiled bench and library: under node_modules so that packages resolve as usual. */
const BUILD = join(ROOT, 'node_modules', '.cache', 'cdk-access-patterns-bench');
/** ours / hand-written, in time and RSS, for the role rows. */
const TIME_LIMIT = 1.05;
/** The platform app over hand-written L2 code of the same templates. */
const PLATFORM_LIMIT = 1.10;
/** The nag pack's cost over a no-op plugin. */
const NAG_LIMIT = 1.10;
/** Importing the package over importing aws-cdk-lib and its IAM module. */
const IMPORT_LIMIT = 1.20;

/** One row of the table. */
interface RowSpec {
  readonly id: string;
  /** Name to select the row by, with others. */
  readonly group: string;
  readonly title: string;
  readonly bench: string;
  readonly size: number;
  /** The first is ours; then the floor (hand-written, or no-op plugin); then the peer. */
  readonly variants: VariantName[];
  readonly target: string;
}

const ROWS: RowSpec[] = [
  {
    id: 'import',
    group: 'import',
    bench: 'import',
    size: 0,
    variants: ['ours', 'hand'],
    title: 'Importing the package: aws-cdk-lib, aws-cdk-lib/aws-iam and `cdk-access-patterns`, against the first two alone',
    target: 'import time ≤ 1.20× aws-cdk-lib + aws-cdk-lib/aws-iam',
  },
  ...[10, 100, 499].map(n => ({
    id: `github-${n}`,
    group: 'github',
    bench: 'github',
    size: n,
    variants: ['ours', 'hand', 'peer'] as VariantName[],
    title: `GitHub Actions roles: ${n} in one stack`,
    target: 'time and RSS ≤ 1.05× hand-written; ≤ peer',
  })),
  ...[1000, 5000].map(n => ({
    id: `github-${n}`,
    group: 'github-stacks',
    bench: 'github',
    size: n,
    variants: ['ours', 'hand', 'peer'] as VariantName[],
    title: `GitHub Actions roles: ${n.toLocaleString('en-US')} in ${Math.ceil(n / 499)} stacks`,
    target: 'time and RSS ≤ 1.05× hand-written; ≤ peer',
  })),
  {
    id: 'cross-account-1200',
    group: 'cross-account',
    bench: 'cross-account',
    size: 600,
    variants: ['ours', 'hand'],
    title: 'Cross-account and vendor roles: 1,200 in 6 stacks',
    target: 'time and RSS ≤ 1.05× hand-written',
  },
  {
    id: 'identity-center-10000',
    group: 'identity-center',
    bench: 'identity-center',
    size: 100,
    variants: ['ours', 'hand', 'unchained'],
    title: 'Identity Center: 100 accounts × 10 permission sets × 10 groups = 10,000 assignments, 50 nested stacks',
    target: 'synthesizes, ≤ 500 resources per stack; time and RSS ≤ 1.05× hand-written L1s with the same DependsOn chains (the L1s without them are an informational floor)',
  },
  {
    id: 'platform-20',
    group: 'platform',
    bench: 'platform',
    size: 20,
    variants: ['ours', 'hand', 'replay'],
    title: 'Platform app, every pattern: 20 teams × 9 roles and a monitor, Cognito, Identity Center (2 stacks)',
    target: 'time and RSS ≤ 1.10× hand-written L2 code (the L1 replay is an informational floor)',
  },
  {
    id: 'nag-500',
    group: 'nag',
    bench: 'nag',
    size: 500,
    variants: ['pack', 'noop'],
    title: 'AccessPatterns nag pack on 500 roles (5 stacks)',
    target: 'the pack adds ≤ 10% to build + synth',
  },
];
const TEST_ROW = { id: 'npm-test', group: 'npm-test', title: '`npm test` (type-check, jest, eslint)', target: 'reported (no target)' };

export interface VariantResult {
  readonly runs: number;
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** load + build + synth. */
  readonly totalMs: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly samples: Sample[];
}

export interface RowResult {
  readonly id: string;
  readonly title: string;
  readonly target: string;
  readonly met: boolean | null;
  readonly missed: string[];
  readonly variants: Partial<Record<VariantName, VariantResult>>;
  readonly ratios: Record<string, number>;
  readonly checks: Array<{ check: string; ok: boolean }>;
  readonly facts: Record<string, unknown>;
  readonly notes: string[];
  readonly wallMs?: number;
  readonly machine: string;
  readonly measuredAt: string;
}

export interface Results {
  machine: string;
  command: string;
  updatedAt: string;
  rows: Record<string, RowResult>;
}

// ---------------------------------------------------------------------------------------

function parseArgs(argv: string[]): { names: string[]; runs: number; skipTest: boolean; list: boolean } {
  const names: string[] = [];
  let runs = 5;
  let skipTest = false;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') runs = Number(argv[++i]);
    else if (a.startsWith('--runs=')) runs = Number(a.slice('--runs='.length));
    else if (a === '--skip-test') skipTest = true;
    else if (a === '--list') list = true;
    else names.push(a);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number ≥ 1');
  return { names, runs, skipTest, list };
}

function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}`;
}

/** Transpiles src/ and bench/ to JavaScript (as users load the package: compiled, no ts-node). */
export function compile(): void {
  rmSync(BUILD, { recursive: true, force: true });
  const walk = (dir: string): string[] => readdirSync(dir).flatMap(f => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true,
  };
  for (const file of [...walk(join(ROOT, 'src')), ...walk(__dirname)].filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const out = join(BUILD, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file }).outputText);
  }
  // The published package's barrels load their modules on first use (post-compile step).
  rewriteBarrels(join(BUILD, 'src'));
}

/** Runs one child process and returns what it printed after the marker. */
function child<T>(request: ChildRequest): T {
  const result = spawnSync(process.execPath, ['--expose-gc', join(BUILD, 'bench', 'child.js'), JSON.stringify(request)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, NODE_OPTIONS: '', CDK_VALIDATION: 'false' },
  });
  const line = result.stdout?.split('\n').find(l => l.startsWith('@@bench '));
  if (result.status !== 0 || !line) {
    throw new Error(`bench child ${request.bench}/${request.variant ?? request.variants?.join(',')} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return JSON.parse(line.slice('@@bench '.length)) as T;
}

/**
 * The import row: a fresh process that loads aws-cdk-lib and its IAM module, and for
 * `ours` the package's index as an app's `import { ... } from 'cdk-access-patterns'`
 * compiles (the names are read when the app uses them, which the role rows measure).
 */
function importSample(variant: VariantName): Sample {
  const script = [
    'const t0 = process.hrtime.bigint();',
    "require('aws-cdk-lib'); require('aws-cdk-lib/aws-iam');",
    variant === 'ours' ? `require(${JSON.stringify(join(BUILD, 'src'))});` : '',
    'const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;',
    'global.gc();',
    "process.stdout.write('@@bench ' + JSON.stringify({ loadMs, buildMs: 0, synthMs: 0,",
    '  rssMb: process.resourceUsage().maxRSS / 1024, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }));',
  ].join('\n');
  const result = spawnSync(process.execPath, ['--expose-gc', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const line = result.stdout?.split('\n').find(l => l.startsWith('@@bench '));
  if (result.status !== 0 || !line) throw new Error(`bench import/${variant} failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(line.slice('@@bench '.length)) as Sample;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(samples: Sample[]): VariantResult {
  const pick = (k: keyof Sample): number => median(samples.map(s => s[k]));
  return {
    runs: samples.length,
    loadMs: pick('loadMs'),
    buildMs: pick('buildMs'),
    synthMs: pick('synthMs'),
    totalMs: median(samples.map(s => s.loadMs + s.buildMs + s.synthMs)),
    rssMb: pick('rssMb'),
    heapMb: pick('heapMb'),
    samples,
  };
}

function runRow(spec: RowSpec, runs: number, scratch: string): RowResult {
  const outdir = mkdtempSync(join(scratch, `${spec.id}-`));
  const replayFile = spec.bench === 'platform' ? join(outdir, 'replay.json') : undefined;
  process.stdout.write(`\n${spec.title}\n  verify: building each variant once ... `);
  const verification = spec.bench === 'import'
    ? { checks: [], facts: {}, notes: ['In-process time from the first require to the last, in a fresh node process; node\'s own start is the same for both and not counted.'] }
    : child<{ checks: RowResult['checks']; facts: Record<string, unknown>; notes: string[] }>({
      mode: 'verify', bench: spec.bench, size: spec.size, variants: spec.variants, outdir: join(outdir, 'verify'), replayFile,
    });
  rmSync(join(outdir, 'verify'), { recursive: true, force: true });
  console.log(verification.checks.map(c => `${c.ok ? 'ok' : 'FAILED'}: ${c.check}`).join('; '));

  const samples: Partial<Record<VariantName, Sample[]>> = {};
  for (let r = 0; r < runs; r++) {
    // Rotate the order each run, so that no variant always goes first.
    const order = spec.variants.map((_, i) => spec.variants[(i + r) % spec.variants.length]);
    for (const variant of order) {
      const dir = join(outdir, `${variant}-${r}`);
      const sample = spec.bench === 'import' ? importSample(variant)
        : child<Sample>({ mode: 'measure', bench: spec.bench, size: spec.size, variant, outdir: dir, replayFile });
      rmSync(dir, { recursive: true, force: true });
      (samples[variant] ??= []).push(sample);
      process.stdout.write(`  run ${r + 1}/${runs} ${variant.padEnd(4)} ${fmtMs(sample.loadMs + sample.buildMs + sample.synthMs)}, ${fmtMb(sample.rssMb)}\n`);
    }
  }
  rmSync(outdir, { recursive: true, force: true });

  const variants: Partial<Record<VariantName, VariantResult>> = {};
  for (const v of spec.variants) variants[v] = summarize(samples[v]!);
  const [oursName, floorName, peerName] = spec.variants;
  const o = variants[oursName]!;
  const f = variants[floorName]!;
  const p = peerName ? variants[peerName] : undefined;
  const ratios: Record<string, number> = {};
  const missed: string[] = [];
  if (spec.bench === 'import') {
    ratios.timeVsHand = o.totalMs / f.totalMs;
    ratios.rssVsHand = o.rssMb / f.rssMb;
    if (ratios.timeVsHand > IMPORT_LIMIT) missed.push(`import time ${ratios.timeVsHand.toFixed(2)}× aws-cdk-lib + aws-iam`);
  } else if (spec.bench === 'nag') {
    // Both variants load the same modules; the pack's cost is in build + synth.
    ratios.time = (o.buildMs + o.synthMs) / (f.buildMs + f.synthMs);
    if (ratios.time > NAG_LIMIT) missed.push(`the pack adds ${pct(ratios.time)} (target ≤ 10%)`);
  } else {
    ratios.timeVsHand = o.totalMs / f.totalMs;
    ratios.rssVsHand = o.rssMb / f.rssMb;
    ratios.buildSynthVsHand = (o.buildMs + o.synthMs) / (f.buildMs + f.synthMs);
    ratios.heapVsHand = o.heapMb / f.heapMb;
    const limit = spec.bench === 'platform' ? PLATFORM_LIMIT : TIME_LIMIT;
    if (ratios.timeVsHand > limit) missed.push(`time ${ratios.timeVsHand.toFixed(2)}× hand-written`);
    if (ratios.rssVsHand > limit) missed.push(`RSS ${ratios.rssVsHand.toFixed(2)}× hand-written`);
    if (p && (peerName === 'replay' || peerName === 'unchained')) {
      // An informational floor (the L1 replay, L1s without the chains deployment needs): reported, no target.
      ratios.timeVsReplay = o.totalMs / p.totalMs;
      ratios.rssVsReplay = o.rssMb / p.rssMb;
    } else if (p) {
      ratios.timeVsPeer = o.totalMs / p.totalMs;
      ratios.rssVsPeer = o.rssMb / p.rssMb;
      if (ratios.timeVsPeer > 1) missed.push(`time ${ratios.timeVsPeer.toFixed(2)}× peer`);
      if (ratios.rssVsPeer > 1) missed.push(`RSS ${ratios.rssVsPeer.toFixed(2)}× peer`);
    }
  }
  for (const c of verification.checks) if (!c.ok) missed.push(`check failed: ${c.check}`);
  return {
    id: spec.id,
    title: spec.title,
    target: spec.target,
    met: missed.length === 0,
    missed,
    variants,
    ratios,
    checks: verification.checks,
    facts: verification.facts,
    notes: verification.notes,
    machine: machine(),
    measuredAt: new Date().toISOString(),
  };
}

function runTests(): RowResult {
  console.log(`\n${TEST_ROW.title}\n  running npm test once ...`);
  const start = Date.now();
  const result = spawnSync('npm', ['test'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const wallMs = Date.now() - start;
  const summary = /Tests:\s+(.*)/.exec(`${result.stdout}\n${result.stderr}`)?.[1]?.trim();
  console.log(`  ${fmtMs(wallMs)}, exit ${result.status}${summary ? ` (${summary})` : ''}`);
  return {
    id: TEST_ROW.id,
    title: TEST_ROW.title,
    target: TEST_ROW.target,
    met: null,
    missed: [],
    variants: {},
    ratios: {},
    checks: [{ check: 'npm test passes', ok: result.status === 0 }],
    facts: { exitCode: result.status, ...(summary ? { jest: summary } : {}) },
    notes: [],
    wallMs,
    machine: machine(),
    measuredAt: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function fmtMb(mb: number): string {
  return `${Math.round(mb)} MB`;
}

function pct(ratio: number): string {
  return `${((ratio - 1) * 100).toFixed(1)}%`;
}

function cell(v: VariantResult | undefined): string {
  return v ? `${fmtMs(v.totalMs)}, ${fmtMb(v.rssMb)}` : '–';
}

function ratioCell(time: number | undefined, rss: number | undefined): string {
  return time === undefined ? '–' : `${time.toFixed(2)} / ${rss!.toFixed(2)}`;
}

function metCell(row: RowResult): string {
  if (row.met === null) return row.checks.every(c => c.ok) ? '–' : 'tests failed';
  return row.met ? 'yes' : `no: ${row.missed.join('; ')}`;
}

export function markdown(results: Results): string {
  const order = [...ROWS.map(r => r.id), TEST_ROW.id];
  const rows = order.map(id => results.rows[id]).filter((r): r is RowResult => r !== undefined);
  const machines = [...new Set(rows.map(r => r.machine))];
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`Machine: ${machines.join('; ')}. Last updated ${results.updatedAt.slice(0, 10)} with \`${results.command}\`.`);
  lines.push('Each cell is the median of several runs, each run a separate node process that loads the modules, builds the app and '
    + 'synthesizes it (templates written): wall time of load + build + synth, and the peak RSS of the process. Ratios are ours / other, '
    + 'time / RSS; below 1 is better. aws-cdk-lib\'s built-in CloudFormation validation is off (`CDK_VALIDATION=false`) in every variant: '
    + 'it costs the same whoever built the app (about 2.5 s for ten roles) and would hide the differences.', '');
  lines.push('| benchmark | ours | hand-written (floor) | peer (aws-cdk-github-oidc), or an informational floor | ours / hand-written | ours / peer (or floor) | target | met |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.id === TEST_ROW.id) {
      lines.push(`| ${r.title} | ${fmtMs(r.wallMs!)} (one run) | | | | | ${r.target} | ${metCell(r)} |`);
    } else if (r.variants.pack) {
      lines.push(`| ${r.title} | ${fmtMs(r.variants.pack.buildMs + r.variants.pack.synthMs)} with the pack | ${fmtMs(r.variants.noop!.buildMs + r.variants.noop!.synthMs)} with a no-op plugin | | +${pct(r.ratios.time)} (build + synth) | | ${r.target} | ${metCell(r)} |`);
    } else {
      const floor = r.variants.replay ? ['L1 replay', r.variants.replay] as const
        : r.variants.unchained ? ['without DependsOn chains', r.variants.unchained] as const : undefined;
      const third = floor ? `${cell(floor[1])} (${floor[0]})` : cell(r.variants.peer);
      const thirdRatio = floor ? `${ratioCell(r.ratios.timeVsReplay, r.ratios.rssVsReplay)} (${floor[0]})` : ratioCell(r.ratios.timeVsPeer, r.ratios.rssVsPeer);
      lines.push(`| ${r.title} | ${cell(r.variants.ours)} | ${cell(r.variants.hand)} | ${third} | ${ratioCell(r.ratios.timeVsHand, r.ratios.rssVsHand)} | ${thirdRatio} | ${r.target} | ${metCell(r)} |`);
    }
  }
  lines.push('', '## Breakdown (medians)', '');
  lines.push('| benchmark | variant | runs | load | build | synth | load + build + synth | peak RSS | heap after GC |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    for (const [name, v] of Object.entries(r.variants)) {
      lines.push(`| ${r.id} | ${name} | ${v!.runs} | ${fmtMs(v!.loadMs)} | ${fmtMs(v!.buildMs)} | ${fmtMs(v!.synthMs)} | ${fmtMs(v!.totalMs)} | ${fmtMb(v!.rssMb)} | ${fmtMb(v!.heapMb)} |`);
    }
  }
  lines.push('', '## Checks and facts', '');
  for (const r of rows) {
    lines.push(`- **${r.id}** (${r.measuredAt.slice(0, 10)}): ${r.checks.map(c => `${c.ok ? '✓' : '✗'} ${c.check}`).join('; ')}.`);
    const facts = Object.entries(r.facts).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    if (facts.length > 0) lines.push(`  ${facts.join('; ')}.`);
    for (const n of r.notes) lines.push(`  ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const names = [...new Set([...ROWS.map(r => r.group), ...ROWS.map(r => r.id), TEST_ROW.group])];
  if (args.list) {
    console.log(`groups and rows: ${names.join(', ')}`);
    return;
  }
  const unknown = args.names.filter(n => !names.includes(n));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${names.join(', ')}`);
  const selected = (id: string, group: string): boolean => args.names.length === 0 || args.names.includes(id) || args.names.includes(group);
  const rows = ROWS.filter(r => selected(r.id, r.group));
  const withTest = selected(TEST_ROW.id, TEST_ROW.group) && !args.skipTest;

  const started = Date.now();
  compile();
  const latestJson = join(RESULTS, 'latest.json');
  const results: Results = existsSync(latestJson) ? JSON.parse(readFileSync(latestJson, 'utf8')) : { rows: {} } as Results;
  results.machine = machine();
  results.command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  console.log(`${results.machine}; ${args.runs} runs per variant`);

  const save = (): void => {
    results.updatedAt = new Date().toISOString();
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(latestJson, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(RESULTS, 'latest.md'), markdown(results));
  };
  const scratch = mkdtempSync(join(tmpdir(), 'cdk-access-patterns-bench-'));
  const failed: string[] = [];
  try {
    for (const spec of rows) {
      try {
        results.rows[spec.id] = runRow(spec, args.runs, scratch);
      } catch (e) {
        // One broken row must not cost the others: it is recorded as failed.
        console.error(`${spec.id} failed: ${(e as Error).message}`);
        failed.push(spec.id);
        continue;
      }
      save();
    }
    if (withTest) {
      results.rows[TEST_ROW.id] = runTests();
      save();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\n${markdown(results)}`);
  console.log(`bench wall time: ${fmtMs(Date.now() - started)}; written to bench/results/latest.json and latest.md`);
  if (failed.length > 0) {
    console.error(`failed (results kept from before): ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main();
}

