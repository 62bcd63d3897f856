import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Aws, CfnParameter, CustomResource, Fn, NestedStack, PhysicalName, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { AccessMap, AccessMapKind, AccessMapRole } from '../../src';
import { isFreeDeployTime } from '../../src/core/trust-reader';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV, TEST_REGION } from '../support/env';
import { parseMermaid } from '../support/mermaid';

function roleAt(map: AccessMap, stack: string, path: string): AccessMapRole {
  const role = map.roles.find(r => r.stack === stack && r.path === path);
  if (!role) throw new Error(`no role ${stack} ${path} in ${map.roles.map(r => `${r.stack} ${r.path}`).join(', ')}`);
  return role;
}

/** Synthesizes the app into a directory of its own and reads the assembly, as the command does. */
function fromAssembly(build: (app: App) => void, after?: (directory: string) => void): AccessMap {
  const outdir = mkdtempSync(join(tmpdir(), 'access-map-chains-'));
  try {
    // The context the CDK CLI passes: construct paths in the templates.
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    build(app);
    app.synth();
    after?.(outdir);
    return AccessMap.fromAssembly(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function inlineFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
}

describe('roles of nested stacks, read through their outputs', () => {
  test('a role trusted through a nested stack output reads as the role it is, from the parent and from a sibling', () => {
    const parent = new Stack(new App(), 'Parent', { env: TEST_ENV });
    const providers = new NestedStack(parent, 'Providers');
    const provider = new cr.Provider(providers, 'Provider', { onEventHandler: inlineFunction(providers, 'OnEvent') });
    new CustomResource(providers, 'Thing', { serviceToken: provider.serviceToken });
    const lookup = new cr.AwsCustomResource(providers, 'Lookup', {
      onCreate: { service: 'STS', action: 'getCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('caller') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    const frameworkRole = (provider.node.findChild('framework-onEvent') as lambda.Function).role!;
    // The parent reads the ARN as Fn::GetAtt [Providers, Outputs.X]; the sibling as a parameter the parent passes that way.
    new iam.Role(parent, 'Target', { assumedBy: lookup.grantPrincipal });
    new iam.Role(new NestedStack(parent, 'Sibling'), 'SiblingTarget', { assumedBy: new iam.ArnPrincipal(frameworkRole.roleArn) });
    const map = AccessMap.fromStack(parent);

    expect(roleAt(map, 'Parent', 'Target').waysIn).toEqual([{
      kind: AccessMapKind.AWS_PRINCIPAL,
      who: `role ⟨generated name of role Providers/AWS679f53fac002430cb0da5b7982bd2287/ServiceRole⟩ in account ${TEST_ACCOUNT} (this account)`,
      conditions: [],
      actions: ['sts:AssumeRole'],
      unresolved: true,
    }]);
    expect(roleAt(map, 'Parent/Sibling', 'SiblingTarget').waysIn.map(w => [w.who, w.broad])).toEqual([
      [`role ⟨generated name of role Providers/Provider/framework-onEvent/ServiceRole⟩ in account ${TEST_ACCOUNT} (this account)`, undefined],
    ]);
    expect(map.toMarkdown()).not.toContain('Outputs.');
  });

  test('through two levels of nested stacks, from a stack and from an assembly alike', () => {
    const build = (app: App) => {
      const parent = new Stack(app, 'Parent', { env: TEST_ENV });
      const inner = new NestedStack(new NestedStack(parent, 'Outer'), 'Inner');
      const worker = new iam.Role(new Construct(inner, 'Team'), 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new iam.Role(parent, 'Target', { assumedBy: new iam.ArnPrincipal(worker.roleArn) });
      return parent;
    };
    const read = (map: AccessMap) => ({
      roles: map.roles.map(r => `${r.stack} ${r.path}`),
      target: roleAt(map, 'Parent', 'Target').waysIn.map(w => [w.who, w.broad]),
    });
    const expected = {
      roles: ['Parent Target', 'Parent/Outer/Inner Team/Worker'],
      target: [[`role ⟨generated name of role Outer/Inner/Team/Worker⟩ in account ${TEST_ACCOUNT} (this account)`, undefined]],
    };
    expect(read(AccessMap.fromStack(build(new App())))).toEqual(expected);
    expect(read(fromAssembly(build))).toEqual(expected);
  });

  test('an output of a nested stack whose template is missing says what it is, and pins as a resource of the app does', () => {
    const map = fromAssembly(app => {
      const parent = new Stack(app, 'Parent', { env: TEST_ENV });
      const worker = new iam.Role(new NestedStack(parent, 'Child'), 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new iam.Role(parent, 'Target', { assumedBy: new iam.ArnPrincipal(worker.roleArn) });
    }, outdir => {
      for (const f of readdirSync(outdir).filter(n => n.endsWith('.nested.template.json'))) rmSync(join(outdir, f));
    });

    const [way] = roleAt(map, 'Parent', 'Target').waysIn;
    expect(way.who).toMatch(/^AWS principal ⟨output ParentChild\w+Arn of nested stack Child⟩$/);
    expect(way.broad).toBeUndefined();
    expect(isFreeDeployTime(way.who)).toBe(false);
    expect(map.warnings).toEqual([expect.stringMatching(/^nested stack Parent\/ChildNestedStack\w+: its template is not in the assembly/)]);
  });
});

describe('roles a role may assume', () => {
  test('a cross-account hop named through a name read from an ARN is listed, resolved to the role of the app, and drawn', async () => {
    const map = fromAssembly(app => {
      const prod = new Stack(app, 'Prod', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
      const deploy = new iam.Role(new Construct(prod, 'Access'), 'Deploy', {
        roleName: PhysicalName.GENERATE_IF_NEEDED,
        assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT),
      });
      const tooling = new Stack(app, 'Tooling', { env: { account: CALLER_ACCOUNT, region: TEST_REGION } });
      const stage = new iam.Role(new Construct(new NestedStack(tooling, 'Stages'), 'Team'), 'Stage', { assumedBy: new iam.AccountRootPrincipal() });
      const pipeline = new iam.Role(tooling, 'Pipeline', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      const nameOf = (arn: string) => Fn.select(1, Fn.split('/', arn));
      const other = new CfnParameter(tooling, 'AuditRoleArn');
      pipeline.addToPolicy(new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: [
          // Another account's role: the name is read from its ARN (which CDK writes out for a cross-environment reference).
          Fn.join('', ['arn:aws:iam::', TEST_ACCOUNT, ':role/', nameOf(deploy.roleArn)]),
          // A role of a nested stack: its generated name is read from the output, and its path holds a `/`.
          Fn.join('', ['arn:', Aws.PARTITION, ':iam::', Aws.ACCOUNT_ID, ':role/', nameOf(stage.roleArn)]),
          // A name read from a parameter stays the parameter.
          Fn.join('', ['arn:aws:iam::', OTHER_ACCOUNT, ':role/', nameOf(other.valueAsString)]),
        ],
      }));
    });

    const pipeline = roleAt(map, 'Tooling', 'Pipeline');
    expect(pipeline.permissions.mayAssume).toEqual([
      { resource: expect.stringMatching(new RegExp(`^arn:aws:iam::${TEST_ACCOUNT}:role/prod\\w+$`)), who: 'role Access/Deploy of stack Prod', conditions: [], stack: 'Prod', path: 'Access/Deploy' },
      {
        resource: `arn:aws:iam::${CALLER_ACCOUNT}:role/⟨generated name of role Stages/Team/Stage⟩`,
        who: 'role Team/Stage of stack Tooling/Stages',
        conditions: [],
        stack: 'Tooling/Stages',
        path: 'Team/Stage',
      },
      { resource: `arn:aws:iam::${OTHER_ACCOUNT}:role/⟨parameter AuditRoleArn⟩`, who: `role ⟨parameter AuditRoleArn⟩ in account ${OTHER_ACCOUNT}`, conditions: [] },
    ]);
    expect(map.toMarkdown()).toContain('may assume: role Access/Deploy of stack Prod<br>may assume: role Team/Stage of stack Tooling/Stages');

    const index = (stack: string, path: string) => map.roles.indexOf(roleAt(map, stack, path));
    const diagram = map.toMermaid();
    expect(diagram).toContain(`r${index('Tooling', 'Pipeline')} -.-> r${index('Prod', 'Access/Deploy')}`);
    expect(diagram).toContain(`r${index('Tooling', 'Pipeline')} -.-> r${index('Tooling/Stages', 'Team/Stage')}`);
    expect(diagram).toMatch(/w\d+\("role ⟨parameter AuditRoleArn⟩ in account 333333333333"\)/);
    expect(await parseMermaid([diagram])).toEqual([null]);
  });

  test('a policy attached by a name read from the role\'s ARN counts: CDK\'s zone delegation role and its hop', () => {
    const stack = new Stack(new App(), 'Dns', { env: TEST_ENV });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'app.example.com' });
    new route53.CrossAccountZoneDelegationRecord(stack, 'Delegate', {
      delegatedZone: zone,
      parentHostedZoneName: 'example.com',
      delegationRole: iam.Role.fromRoleArn(stack, 'Delegation', `arn:aws:iam::${CALLER_ACCOUNT}:role/dns-delegation`),
    });
    const map = AccessMap.fromStack(stack);

    const role = roleAt(map, 'Dns', 'Custom::CrossAccountZoneDelegationCustomResourceProvider/Role');
    expect(role.permissions.allowedActions).toContain('sts:AssumeRole');
    expect(role.permissions.mayAssume).toEqual([{
      resource: `arn:aws:iam::${CALLER_ACCOUNT}:role/dns-delegation`, who: `role dns-delegation in account ${CALLER_ACCOUNT}`, conditions: [],
    }]);
  });

  test('a diff reports a hop added', () => {
    const app = (withHop: boolean) => {
      const stack = new Stack(new App(), 'Hops', { env: TEST_ENV });
      const role = new iam.Role(stack, 'Jump', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      if (withHop) role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${OTHER_ACCOUNT}:role/audit`] }));
      return AccessMap.fromStack(stack);
    };
    expect(AccessMap.diff(app(false), app(true))).toContainEqual(expect.objectContaining({ text: `may assume: role audit in account ${OTHER_ACCOUNT}` }));
  });
});

describe('noise', () => {
  test('the path leads; a generated name shows the path once; a given name shows both', () => {
    const stack = new Stack(new App(), 'Names', { env: TEST_ENV });
    new iam.Role(new Construct(stack, 'Team'), 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new iam.Role(stack, 'Named', { roleName: 'named-role', assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const markdown = AccessMap.fromStack(stack).toMarkdown();
    expect(markdown).toContain('| Team/Worker | AWS service ecs-tasks.amazonaws.com |');
    expect(markdown).not.toContain('generated name of role Team/Worker');
    expect(markdown).toContain('| Named<br>name: named-role | AWS service ecs-tasks.amazonaws.com |');
  });

  test('Resource: * is not flagged on an assume statement narrowed by resource tags; without the tags it is', () => {
    const stack = new Stack(new App(), 'Tags', { env: TEST_ENV });
    const policy = (conditions?: Record<string, any>, actions = ['sts:AssumeRole', 'sts:TagSession']) => new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions, resources: ['*'], ...(conditions ? { conditions } : {}) })],
    });
    const role = (id: string, document: iam.PolicyDocument) => new iam.Role(stack, id, {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'), inlinePolicies: { Assume: document },
    });
    role('ByTeam', policy({ StringEquals: { 'aws:ResourceTag/team': 'platform' } }));
    role('ByIamTag', policy({ StringEquals: { 'iam:ResourceTag/purpose': 'deploy' } }));
    role('Untagged', policy());
    role('NegatedTag', policy({ StringNotEquals: { 'aws:ResourceTag/team': 'platform' } }));
    role('MoreThanAssume', policy({ StringEquals: { 'aws:ResourceTag/team': 'platform' } }, ['sts:AssumeRole', 's3:GetObject']));
    const map = AccessMap.fromStack(stack);

    const flags = (path: string) => roleAt(map, 'Tags', path).permissions.flags;
    expect(flags('ByTeam')).toEqual([]);
    expect(flags('ByIamTag')).toEqual([]);
    expect(flags('Untagged')).toEqual(['Resource: *']);
    expect(flags('NegatedTag')).toEqual(['Resource: *']);
    expect(flags('MoreThanAssume')).toEqual(['Resource: *']);
    expect(roleAt(map, 'Tags', 'ByTeam').permissions.mayAssume).toEqual([{ resource: '*', who: 'any role', conditions: ['aws:ResourceTag/team = platform'] }]);
  });

  test('CDK\'s own provider roles are labelled, and their Resource: * is not flagged', () => {
    const stack = new Stack(new App(), 'Framework', { env: TEST_ENV });
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: inlineFunction(stack, 'OnEvent') });
    new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken });
    new cr.AwsCustomResource(stack, 'Lookup', {
      onCreate: { service: 'STS', action: 'getCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('caller') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    const bucket = new s3.Bucket(stack, 'Site', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    // Its handler's construct path names no provider: aws-cdk-lib marks it in the construct tree.
    new s3deploy.BucketDeployment(stack, 'Upload', { sources: [s3deploy.Source.data('index.html', 'hello')], destinationBucket: bucket });
    const mine = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    mine.addToPolicy(new iam.PolicyStatement({ actions: ['sts:GetCallerIdentity'], resources: ['*'] }));
    const map = AccessMap.fromStack(stack);

    const framework = map.roles.filter(r => r.cdkFramework).map(r => r.path).sort();
    expect(framework).toEqual([
      'AWS679f53fac002430cb0da5b7982bd2287/ServiceRole',
      'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C/ServiceRole',
      'Custom::S3AutoDeleteObjectsCustomResourceProvider/Role',
      'Provider/framework-onEvent/ServiceRole',
    ]);
    expect(roleAt(map, 'Framework', 'OnEvent/ServiceRole').cdkFramework).toBeUndefined();
    expect(roleAt(map, 'Framework', 'AWS679f53fac002430cb0da5b7982bd2287/ServiceRole').permissions).toMatchObject({ allowedActions: ['sts:GetCallerIdentity'], flags: [] });
    expect(roleAt(map, 'Framework', 'Mine').permissions.flags).toEqual(['Resource: *']);
    expect(map.toMarkdown()).toContain('| Provider/framework-onEvent/ServiceRole<br>(CDK framework role) |');
  });

  test('read from an assembly, without the construct tree, the construct paths still tell CDK\'s provider roles', () => {
    const map = fromAssembly(app => {
      const stack = new Stack(app, 'Framework', { env: TEST_ENV });
      const provider = new cr.Provider(stack, 'Provider', { onEventHandler: inlineFunction(stack, 'OnEvent') });
      new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken });
      new s3.Bucket(stack, 'Site', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    });
    expect(map.roles.map(r => [r.path, r.cdkFramework ?? false]).sort()).toEqual([
      ['Custom::S3AutoDeleteObjectsCustomResourceProvider/Role', true],
      ['OnEvent/ServiceRole', false],
      ['Provider/framework-onEvent/ServiceRole', true],
    ]);
  });
});
