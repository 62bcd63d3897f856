import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AccessMap, GitHubActionsRole, GitHubOidcProvider, GitHubSubject } from '../../src';
import { main } from '../../src/access-map/cli';
import { runCli } from '../support/compiled';
import { TEST_ENV } from '../support/env';

let work: string;

/** Synthesizes a one-role GitHub Actions app into `<work>/<name>` and returns the directory. */
function assembly(name: string, subject: GitHubSubject): string {
  const outdir = join(work, name);
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Delivery', { env: TEST_ENV });
  new GitHubActionsRole(stack, 'Deploy', { roleName: 'deploy', provider: new GitHubOidcProvider(stack, 'GitHub'), subjects: [subject] });
  app.synth();
  return outdir;
}

function run(args: string[]): { code: number; output: string } {
  let output = '';
  const code = main(args, t => { output += t; });
  return { code, output };
}

let before: string;
let after: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'access-map-cli-'));
  before = assembly('before', GitHubSubject.branch('acme/api', 'main'));
  after = assembly('after', GitHubSubject.allRepositories('acme'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('map prints the Markdown of an assembly, and JSON on request', () => {
  expect(run(['map', before])).toEqual({ code: 0, output: AccessMap.fromAssembly(before).toMarkdown() });
  const json = JSON.parse(run(['map', before, '--format', 'json']).output);
  expect(json.roles.map((r: any) => r.waysIn.map((w: any) => w.who))).toEqual([['GitHub Actions: acme/api, branch main']]);
});

test('several assemblies are combined, each stack prefixed with its directory', () => {
  const json = JSON.parse(run(['map', before, after, '--format', 'json']).output);
  expect(json.roles.map((r: any) => r.stack)).toEqual(['before/Delivery', 'after/Delivery']);
});

test('two assemblies with one directory name are told apart by their paths', () => {
  const a = assembly(join('a', 'cdk.out'), GitHubSubject.branch('acme/api', 'main'));
  const b = assembly(join('b', 'cdk.out'), GitHubSubject.branch('acme/web', 'main'));
  const json = JSON.parse(run(['map', `${a}/`, b, '--format', 'json']).output);
  expect(json.roles.map((r: any) => r.stack)).toEqual([`${a}/Delivery`, `${b}/Delivery`]);
});

test('--diff prints the access added and removed; --out writes a file', () => {
  const out = join(work, 'changes.md');
  expect(run(['map', '--diff', before, after, '--out', out])).toEqual({ code: 0, output: '' });
  expect(readFileSync(out, 'utf8')).toBe(AccessMap.diffToMarkdown(AccessMap.diff(AccessMap.fromAssembly(before), AccessMap.fromAssembly(after))));
  const json = JSON.parse(run(['map', '--diff', before, after, '--format', 'json']).output);
  expect(json.changes.map((c: any) => `${c.changeType}: ${c.text}`)).toEqual([
    'added: way in: GitHub Actions: every repository of acme; allows sts:AssumeRoleWithWebIdentity',
    'removed: way in: GitHub Actions: acme/api, branch main; allows sts:AssumeRoleWithWebIdentity',
  ]);
});

test('usage mistakes are refused with what to type instead', () => {
  expect(() => run(['map', before, '--format', 'xml'])).toThrow("--format must be markdown or json, not 'xml'");
  expect(() => run(['map', '--diff', before])).toThrow('--diff takes two assembly directories: OLD NEW');
  expect(() => run(['frobnicate'])).toThrow("unknown command 'frobnicate'");
  expect(run(['--help']).output).toMatch(/^Usage:\n {2}cdk-access-patterns map \[ASSEMBLY \.\.\.\]/);
});

test('as a command: exit code 0 with the map, 2 with the reason on a missing assembly', async () => {
  const command = runCli;
  const [ok, missing] = await Promise.all([command(['map', before]), command(['map', join(work, 'nothing-here')])]);
  expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('| Deploy<br>name: deploy | GitHub Actions: acme/api, branch main | 1 hour |') });
  expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^cdk-access-patterns: .*nothing-here is not a cloud assembly \(no manifest.json\)/) });
});
