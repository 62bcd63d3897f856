import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';

/**
 * `src/` and `examples/` transpiled to JavaScript once per source state, for the tests that
 * run the package as a process (the CLI, the example apps): each process then loads
 * JavaScript instead of transpiling the package again through ts-node. The same
 * transpilation ts-node's transpile-only mode does (one file at a time), with the examples'
 * `cdk-access-patterns` imports pointed at the transpiled `src/`, as `tsconfig-paths` does.
 *
 * The output lives under `node_modules/.cache` (so that packages resolve as usual), in a
 * folder named by a hash of the sources: test workers share it, and a changed source makes
 * a new one.
 */
const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'cdk-access-patterns-tests');
const FOLDERS = ['src', 'examples'];

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap(f => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let root: string | undefined;

/** The folder holding `src/` and `examples/` as JavaScript; built on first use. */
export function compiledRoot(): string {
  if (root) return root;
  const files = FOLDERS.flatMap(f => walk(join(ROOT, f)));
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const target = join(CACHE, hash.digest('hex').slice(0, 16));
  if (!existsSync(join(target, '.complete'))) {
    mkdirSync(CACHE, { recursive: true });
    const staging = mkdtempSync(join(CACHE, 'staging-'));
    const compilerOptions: ts.CompilerOptions = {
      module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true,
    };
    for (const file of files) {
      const rel = relative(ROOT, file);
      const out = join(staging, rel);
      mkdirSync(dirname(out), { recursive: true });
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) {
        writeFileSync(out, readFileSync(file));
        continue;
      }
      let text = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file }).outputText;
      if (rel.startsWith('examples')) text = text.replace(/require\("cdk-access-patterns"\)/g, 'require("../src")');
      writeFileSync(out.replace(/\.ts$/, '.js'), text);
    }
    writeFileSync(join(staging, '.complete'), '');
    try {
      renameSync(staging, target);
    } catch {
      // Another worker finished the same folder first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  root = target;
  return root;
}

/** The command line that runs the package's CLI (`src/access-map/cli.ts`), transpiled. */
export function cliArgs(...args: string[]): string[] {
  return [join(compiledRoot(), 'src', 'access-map', 'cli.js'), ...args];
}

/** The transpiled example app `examples/<name>`. */
export function compiledExample(name: string): string {
  return join(compiledRoot(), 'examples', name.replace(/\.ts$/, '.js'));
}

/** The outcome of one run of the CLI as a process. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the package's CLI as a process, as users do (`npx cdk-access-patterns ...`). */
export function runCli(args: string[]): Promise<CliRun> {
  return new Promise(resolve => {
    execFile(process.execPath, cliArgs(...args), { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}
