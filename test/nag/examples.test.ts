import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AccessMap } from '../../src';
import { compiledExample } from '../support/compiled';
import { parseMermaid } from '../support/mermaid';

/**
 * Every example app passes the pack. The apps register AccessPatternsChecks (and
 * AwsSolutions) as validation plugins and call `app.synth()`, so each is run as its own
 * process, the way `cdk synth` runs it: it exits non-zero on an unacknowledged error, and
 * its validation report must hold no AccessPatterns finding at all (warnings included).
 * New examples are picked up from `examples/*.ts`. Each app's assembly is then read into
 * its access map, as `npm run examples` does at the end. The apps run as JavaScript,
 * transpiled once for the whole test run (`support/compiled.ts`).
 */
const ROOT = join(__dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter(f => f.endsWith('.ts')).sort();
/** Two at a time: the machine has two cores and each app is a node process of ~500 MB. */
const PARALLEL = 2;

interface Run {
  readonly code: number;
  readonly output: string;
  readonly findings: string[];
  /** Context the app needs looked up in an AWS account (`cdk synth` would need credentials for it). */
  readonly missing: string[];
  /** The app's access map, read from its assembly; undefined when synthesis failed. */
  readonly map?: AccessMap;
}

/**
 * The context the CDK CLI passes to an app (path and asset metadata in the templates), and
 * the flag of apps made by `cdk init` that makes aws-cdk-lib's built-in CloudFormation
 * validation findings errors, which fail synthesis (without it they are only warnings).
 */
const CLI_CONTEXT = JSON.stringify({
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': false,
  '@aws-cdk/core:validateAgainstDefaultRules': true,
});

function synth(example: string): Promise<Run> {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-example-'));
  return new Promise(resolve => {
    execFile(process.execPath, [compiledExample(example)], {
      cwd: ROOT,
      // The built-in CloudFormation validation is on here (the other tests turn it off: support/setup.ts).
      env: { ...process.env, CDK_VALIDATION: 'true', CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: CLI_CONTEXT, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const reportFile = join(outdir, 'validation-report.json');
      const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
      const findings: string[] = (report.pluginReports ?? [])
        .filter((r: any) => String(r.pluginName ?? r.summary?.pluginName ?? '').startsWith('AccessPatterns'))
        .flatMap((r: any) => (r.violations ?? []).map((v: any) => String(v.ruleName)));
      const manifestFile = join(outdir, 'manifest.json');
      const missing: string[] = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')).missing ?? []).map((m: any) => String(m.key)) : [];
      const map = !error && existsSync(manifestFile) ? AccessMap.fromAssembly(outdir) : undefined;
      rmSync(outdir, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}`, findings, missing, map });
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

  test('needs no context looked up in an AWS account (cdk synth runs without credentials)', () => {
    expect(runs.get(example)!.missing).toEqual([]);
  });
});

/**
 * What each example's access map must say: one way in per pattern it shows, in the words a
 * reviewer reads. A change to the trust of an example, or to the map's wording, shows here.
 */
const EXPECTED_WAYS_IN: Record<string, string[]> = {
  'access-keys.ts': ['AWS service lambda.amazonaws.com', 'AWS service ssm.amazonaws.com'],
  'cognito.ts': ['Cognito identity pool Identities, authenticated identities'],
  'cognito-app-data.ts': ['Cognito identity pool Identities, authenticated identities'],
  'other-clouds.ts': [
    'OIDC issuer sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/: subject 9d6f7c4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
    'Google app 104729385610293847561: user 104729385610293847561',
  ],
  'cross-account.ts': ['account 464622532012 with ExternalId', 'role toolinglingpipelinerole0e2764460492de991cf9 in account 111111111111'],
  'eks.ts': [
    'EKS Pod Identity: service account kube-system/ebs-csi-controller-sa on cluster ⟨Orders⟩ (named at deploy)',
    'EKS service account external-dns/external-dns on cluster ⟨Orders⟩ (named at deploy)',
    'role platform-admins in account 111111111111',
  ],
  'github-actions.ts': ['GitHub Actions: acme/web, environment production', 'GitHub Actions: acme/web, pull requests'],
  'gitlab-ci.ts': ['GitLab CI (gitlab.com): acme/platform/api, branch main'],
  'identity-center.ts': ['AWS service lambda.amazonaws.com'],
  'identity-pool-role.ts': ['Cognito identity pool eu-west-1:0123abcd-0123-4567-89ab-0123456789ab, authenticated identities'],
  'oidc-federated-role.ts': [
    'OIDC issuer app.terraform.io: subject organization:acme:project:platform:workspace:dns:run_phase:plan',
    'OIDC issuer app.terraform.io: subject organization:acme:project:platform:workspace:dns:run_phase:apply',
  ],
  'platform.ts': ['role pipeline-deployer in account 111111111111', 'GitHub Actions: acme/web, environment production', 'users of SAML provider CorporateIdP'],
  'roles-anywhere.ts': ['certificates with CN=backup01.dc1.acme.internal, OU=Backup via trust anchor OnPremBackupDataCenterAnchor8B2EC370'],
  'saml.ts': ['users of SAML provider ⟨Okta⟩'],
  'workloads.ts': [
    'AWS service ec2.amazonaws.com',
    'AWS service ecs-tasks.amazonaws.com in account 111111111111 (this account), tasks of any cluster in eu-west-1',
    'AWS service lambda.amazonaws.com',
    'role operators in account 111111111111 (this account)',
    'role servicesrvicesreportrole3da7720b4b535ab6c811 in account 111111111111',
  ],
  'saml-to-identity-center.ts': ['users of SAML provider Okta'],
};

describe('access maps of the examples', () => {
  test.each(EXAMPLES)('%s: every role has a way in, and the pattern roles read in plain words', (example) => {
    const map = runs.get(example)!.map!;
    expect(map).toBeDefined();
    expect(map.roles.filter(r => r.waysIn.length === 0).map(r => r.path)).toEqual([]);
    const ways = map.roles.flatMap(r => r.waysIn.map(w => w.who));
    expect(ways).toEqual(expect.arrayContaining(EXPECTED_WAYS_IN[example] ?? ['(no expectation written for this example)']));
    // The examples are the secure defaults: nothing in them is broad.
    expect(map.roles.flatMap(r => r.waysIn.filter(w => w.broad).map(w => `${r.path}: ${w.who} (${w.broad})`))).toEqual([]);
  });

  test('identity-center.ts: the principal × permission set × account matrix', () => {
    const map = runs.get('identity-center.ts')!.map!;
    expect(map.permissionSets.map(p => p.name).sort()).toEqual(['Administrator', 'Developer', 'ReadOnly']);
    expect(map.assignments.length).toBeGreaterThan(0);
    expect(map.toMarkdown()).toMatch(/\| group "ReadOnly" \(id looked up at deploy\) \| ReadOnly \| 200000000001, /);
  });

  test('platform.ts: the Markdown is the golden file test/access-map/golden/platform.md', () => {
    const golden = join(ROOT, 'test', 'access-map', 'golden', 'platform.md');
    const markdown = runs.get('platform.ts')!.map!.toMarkdown();
    // To accept a deliberate change: UPDATE_GOLDEN=1 npx jest test/nag/examples.test.ts
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, markdown);
    expect(markdown).toBe(readFileSync(golden, 'utf8'));
  });

  test('every diagram parses with Mermaid', async () => {
    const diagrams = EXAMPLES.map(e => runs.get(e)!.map!.toMermaid());
    expect(await parseMermaid(diagrams)).toEqual(diagrams.map(() => null));
  });
});
