import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GitHubActionsRole, GitHubOidcProvider, GitHubSubject, ThirdPartyRole } from '../../src';
import { main } from '../../src/access-map/cli';
import { runCli } from '../support/compiled';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';

const GH = 'token.actions.githubusercontent.com';
let work: string;
let assembly: string;

/** A file of the test's directory holding `content` as JSON. */
function file(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function run(args: string[]): { code: number; output: string } {
  let output = '';
  const code = main(args, t => { output += t; });
  return { code, output };
}

const claims = (sub: string, extra: Record<string, unknown> = {}) => ({ iss: `https://${GH}`, aud: 'sts.amazonaws.com', sub, ...extra });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'access-map-explain-'));
  assembly = join(work, 'cdk.out');
  const app = new App({ outdir: assembly, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Delivery', { env: TEST_ENV });
  new GitHubActionsRole(stack, 'Deploy', { roleName: 'deploy', provider: new GitHubOidcProvider(stack, 'GitHub'), subjects: [GitHubSubject.branch('acme/api', 'main')] });
  new ThirdPartyRole(stack, 'Vendor', { vendorAccountId: CALLER_ACCOUNT, externalId: 'vendor-1234' });
  // Trusts a role chosen at deploy time.
  new iam.Role(stack, 'Chosen', { assumedBy: new iam.ArnPrincipal(new CfnParameter(stack, 'TrustedRoleArn').valueAsString) });
  // Trusts the GitHub provider of another account: STS never accepts it.
  new iam.Role(stack, 'Foreign', {
    assumedBy: new iam.WebIdentityPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${GH}`, {
      StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/main' },
    }),
  });
  app.synth();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a token\'s claims', () => {
  test('the right branch is allowed, statement and conditions shown', () => {
    const { code, output } = run(['explain', assembly, '--role', 'deploy', '--claims', file('main.json', claims('repo:acme/api:ref:refs/heads/main'))]);
    expect(code).toBe(0);
    expect(output).toContain('Role Delivery/Deploy (deploy) in account 222222222222');
    expect(output).toContain(`✓ ${GH}:sub = repo:acme/api:ref:refs/heads/main (the request has repo:acme/api:ref:refs/heads/main)`);
    expect(output).toContain('ALLOWED');
  });

  test('a job of an environment: the sub format is wrong, and the fix says why', () => {
    const { code, output } = run(['explain', assembly, '--role', 'Delivery/Deploy', '--claims', file('env.json', claims('repo:acme/api:environment:production'))]);
    expect(code).toBe(1);
    expect(output).toContain('REFUSED');
    expect(output).toMatch(/the token's sub is repo:acme\/api:environment:production; the trust expects repo:acme\/api:ref:refs\/heads\/main\. The job runs in a GitHub environment/);
  });

  test('an immutable-id subject, a pull request, and a missing audience each get their fix', () => {
    const immutable = run(['explain', assembly, '--role', 'deploy', '--claims', file('immutable.json', claims('repo:acme@1234/api@5678:ref:refs/heads/main'))]);
    expect(immutable.output).toMatch(/immutable-id form/);
    const pr = run(['explain', assembly, '--role', 'deploy', '--claims', file('pr.json', claims('repo:acme/api:pull_request'))]);
    expect(pr.output).toMatch(/Pull request jobs carry sub repo:OWNER\/REPO:pull_request/);
    const noAud = run(['explain', assembly, '--role', 'deploy', '--claims', file('noaud.json', { iss: `https://${GH}`, sub: 'repo:acme/api:ref:refs/heads/main' })]);
    expect(noAud.code).toBe(1);
    expect(noAud.output).toMatch(/the token has no audience \(aud\); the trust expects sts\.amazonaws\.com/);
    // The provider of the app knows its client ids: STS refuses another audience before it reads the trust.
    const otherAud = run(['explain', assembly, '--role', 'deploy', '--claims', file('otheraud.json', claims('repo:acme/api:ref:refs/heads/main', { aud: 'other' }))]);
    expect(otherAud.output).toMatch(/Before the trust policy: the OIDC provider token\.actions\.githubusercontent\.com accepts the audiences sts\.amazonaws\.com; the token's audience is other/);
  });

  test('--format json gives the verdict, each statement and condition, and the fixes', () => {
    const { code, output } = run(['explain', assembly, '--role', 'deploy', '--claims', file('json.json', claims('repo:acme/api:pull_request')), '--format', 'json']);
    expect(code).toBe(1);
    const e = JSON.parse(output);
    expect(e.verdict).toBe('refused');
    expect(e.actions[0].statements[0].conditions.map((c: any) => [c.key, c.result])).toEqual([[`${GH}:aud`, true], [`${GH}:sub`, false]]);
    expect(e.fixes).toEqual([expect.stringMatching(/^statement 1: the token's sub is repo:acme\/api:pull_request/)]);
  });

  test('a raw JWT is read as its claims', () => {
    const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${encode({ alg: 'RS256' })}.${encode(claims('repo:acme/api:ref:refs/heads/main'))}.signature`;
    expect(run(['explain', assembly, '--role', 'deploy', '--claims', file('token.jwt', jwt)]).code).toBe(0);
  });

  test('another account\'s provider is named as the cause', () => {
    const { code, output } = run(['explain', assembly, '--role', 'Foreign', '--claims', file('foreign.json', claims('repo:acme/api:ref:refs/heads/main'))]);
    expect(code).toBe(1);
    expect(output).toContain(`the trust names the OIDC provider ${GH} of account ${OTHER_ACCOUNT}, but STS accepts only the provider of the role's own account ${TEST_ACCOUNT}`);
  });
});

describe('a CloudTrail record', () => {
  const webIdentityEvent = (sub: string) => ({
    Records: [{
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${GH}:sts.amazonaws.com:${sub}`,
        userName: sub,
        identityProvider: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${GH}`,
      },
      requestParameters: { roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/deploy`, roleSessionName: 'GitHubActions' },
    }],
  });

  test('the refused call of another repository: the role is found by the record\'s role ARN', () => {
    const { code, output } = run(['explain', assembly, '--event', file('evil.json', webIdentityEvent('repo:evil/api:ref:refs/heads/main'))]);
    expect(code).toBe(1);
    expect(output).toContain(`${GH}:aud = sts.amazonaws.com`);
    expect(output).toContain('the token\'s sub is repo:evil/api:ref:refs/heads/main');
  });

  const assumeRole = (params: Record<string, unknown>) => ({
    eventName: 'AssumeRole',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/vendor-integration/session`,
      accountId: CALLER_ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${CALLER_ACCOUNT}:role/vendor-integration` } },
    },
    requestParameters: { roleSessionName: 'vendor', ...params },
  });

  test('an ExternalId mismatch, and session tags the trust does not allow', () => {
    const wrong = run(['explain', assembly, '--role', 'Vendor', '--event', file('wrong-id.json', assumeRole({ externalId: 'guess' }))]);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/the caller passed ExternalId guess, which the trust does not expect \(ExternalId mismatch\)/);
    expect(run(['explain', assembly, '--role', 'Vendor', '--event', file('right-id.json', assumeRole({ externalId: 'vendor-1234' }))]).code).toBe(0);
    const tagged = run(['explain', assembly, '--role', 'Vendor', '--event', file('tags.json', assumeRole({ externalId: 'vendor-1234', tags: [{ key: 'team', value: 'x' }] }))]);
    expect(tagged.code).toBe(1);
    expect(tagged.output).toMatch(/the call passes session tags, and no statement allows sts:TagSession/);
  });
});

describe('a principal and its context', () => {
  test('--principal with --context; a role chosen at deploy time cannot be decided', () => {
    expect(run(['explain', assembly, '--role', 'Vendor', '--principal', `arn:aws:iam::${CALLER_ACCOUNT}:role/x`, '--context', 'sts:ExternalId=vendor-1234']).code).toBe(0);
    const chosen = run(['explain', assembly, '--role', 'Chosen', '--principal', `arn:aws:iam::${CALLER_ACCOUNT}:role/x`]);
    expect(chosen.code).toBe(3);
    expect(chosen.output).toContain('CANNOT DECIDE');
  });

  test('bad input is refused with the reason', () => {
    expect(() => run(['explain', assembly, '--role', 'nothing', '--principal', 'lambda.amazonaws.com'])).toThrow(/no role 'nothing' in the assembly; roles: Delivery\/Deploy/);
    expect(() => run(['explain', assembly, '--role', 'deploy'])).toThrow('give exactly one of --claims FILE, --event FILE or --principal ARN');
    expect(() => run(['explain', assembly, '--role', 'deploy', '--claims', file('bad.json', 'not json')])).toThrow(/is not JSON/);
    expect(() => run(['explain', assembly, '--role', 'deploy', '--claims', file('noiss.json', { sub: 'x' })])).toThrow('the claims have no issuer (iss)');
    expect(() => run(['explain', assembly, '--role', 'Vendor', '--principal', 'x', '--context', 'novalue'])).toThrow("--context takes KEY=VALUE, not 'novalue'");
  });
});

test('as a command: exit code 0 allowed, 1 refused, 2 bad input, 3 cannot decide', async () => {
  const command = runCli;
  const [allowed, refused, bad, undecided] = await Promise.all([
    command(['explain', assembly, '--role', 'deploy', '--claims', file('p-main.json', claims('repo:acme/api:ref:refs/heads/main'))]),
    command(['explain', assembly, '--role', 'deploy', '--claims', file('p-fork.json', claims('repo:evil/api:ref:refs/heads/main'))]),
    command(['explain', assembly, '--role', 'deploy', '--claims', join(work, 'missing.json')]),
    command(['explain', assembly, '--role', 'Chosen', '--principal', `arn:aws:iam::${CALLER_ACCOUNT}:role/x`]),
  ]);
  expect(allowed).toMatchObject({ code: 0, stdout: expect.stringContaining('ALLOWED') });
  expect(refused).toMatchObject({ code: 1, stdout: expect.stringContaining('REFUSED') });
  expect(bad).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^cdk-access-patterns: cannot read .*missing\.json/) });
  expect(undecided).toMatchObject({ code: 3, stdout: expect.stringContaining('CANNOT DECIDE') });
});
