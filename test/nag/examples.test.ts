import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Every example app passes the pack. The apps register AccessPatternsChecks (and
 * AwsSolutions) as validation plugins and call `app.synth()`, so each is run as its own
 * process, the way `cdk synth` runs it: it exits non-zero on an unacknowledged error, and
 * its validation report must hold no AccessPatterns finding at all (warnings included).
 * New examples are picked up from `examples/*.ts`.
 */
const ROOT = join(__dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter(f => f.endsWith('.ts')).sort();
/** Two at a time: the machine has two cores and each app is a node process of ~500 MB. */
const PARALLEL = 2;

interface Run {
  readonly code: number;
  readonly output: string;
  readonly findings: string[];
}

function synth(example: string): Promise<Run> {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-example-'));
  return new Promise(resolve => {
    execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('examples', example)], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_PROJECT: 'test/tsconfig.json', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const reportFile = join(outdir, 'validation-report.json');
      const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
      const findings: string[] = (report.pluginReports ?? [])
        .filter((r: any) => String(r.pluginName ?? r.summary?.pluginName ?? '').startsWith('AccessPatterns'))
        .flatMap((r: any) => (r.violations ?? []).map((v: any) => String(v.ruleName)));
      rmSync(outdir, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}`, findings });
    });
  });
}

const runs = new Map<string, Run>();

beforeAll(async () => {
  const queue = [...EXAMPLES];
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) runs.set(next, await synth(next));
  }));
}, 60_000 + 30_000 * EXAMPLES.length);

describe.each(EXAMPLES)('examples/%s', (example) => {
  test('registers AccessPatternsChecks as a validation plugin', () => {
    const source = readFileSync(join(ROOT, 'examples', example), 'utf8');
    expect(source).toMatch(/Validations\.of\(\w+\)\.addPlugins\([^;]*new AccessPatternsChecks\(/);
  });

  test('synthesizes with no AccessPatterns finding', () => {
    const run = runs.get(example)!;
    expect({ findings: run.findings, code: run.code, output: run.code === 0 ? '' : run.output.slice(-4000) })
      .toEqual({ findings: [], code: 0, output: '' });
  });
});
