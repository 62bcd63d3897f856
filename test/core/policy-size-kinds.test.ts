import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { TrustCondition, TrustPolicy } from '../../src';
import {
  estimatePolicyLength, LONGEST_PARTITION, LONGEST_URL_SUFFIX_LENGTH, longestRegionLength, TemplateResource, templateResourceLookup,
} from '../../src/core/policy-size';

/** The minified length of a concrete policy. */
const len = (policy: unknown): number => JSON.stringify(policy).length;
const x = (n: number): string => 'x'.repeat(n);
const GOV = LONGEST_PARTITION;
const ACCOUNT = x(12);
const REGION = (): string => x(longestRegionLength());
const resources = (table: Record<string, TemplateResource>) => (id: string) => table[id];

describe('the longest values of each kind', () => {
  test('the partition, URL suffix and region are the longest in aws-cdk-lib\'s region table', () => {
    const regions = RegionInfo.regions;
    expect(Math.max(...regions.map(r => (r.partition ?? '').length))).toBeLessThanOrEqual(LONGEST_PARTITION.length);
    expect(Math.max(...regions.map(r => (r.domainSuffix ?? '').length))).toBeLessThanOrEqual(LONGEST_URL_SUFFIX_LENGTH);
    expect(longestRegionLength()).toBe(Math.max(14, ...regions.map(r => r.name.length)));
    expect(longestRegionLength()).toBeGreaterThanOrEqual('us-isof-south-1'.length);
  });

  test('pseudo parameters: the longest region and URL suffix, not a typical one', () => {
    const policy = { Resource: { 'Fn::Join': ['', ['arn:aws:s3:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::URLSuffix' }]] } };
    expect(estimatePolicyLength(policy)).toEqual({ length: len({ Resource: `arn:aws:s3:${REGION()}:${x(16)}` }), estimated: true });
  });
});

describe('a resource of the same template counts by its type', () => {
  const principal = (value: unknown) => ({ Principal: { AWS: value } });

  test('a role with the default path and a generated name: path / and a 64-character name', () => {
    const lookup = resources({ Role: { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } } });
    const size = estimatePolicyLength(principal({ 'Fn::GetAtt': ['Role', 'Arn'] }), undefined, undefined, lookup);
    expect(size).toEqual({ length: len(principal(`arn:${GOV}:iam::${ACCOUNT}:role/${x(64)}`)), estimated: true });
  });

  test('a role with a fixed path and name counts exactly those', () => {
    const lookup = resources({ Role: { type: 'AWS::IAM::Role', properties: { Path: '/ci/', RoleName: 'deploy' } } });
    expect(estimatePolicyLength(principal({ 'Fn::GetAtt': ['Role', 'Arn'] }), undefined, 'aws', lookup).length)
      .toBe(len(principal(`arn:aws:iam::${ACCOUNT}:role/ci/deploy`)));
    expect(estimatePolicyLength({ Value: { Ref: 'Role' } }, undefined, 'aws', lookup).length).toBe(len({ Value: 'deploy' }));
  });

  test('a role whose path is chosen at deploy time: the longest path, 512 characters', () => {
    const lookup = resources({ Role: { type: 'AWS::IAM::Role', properties: { Path: { Ref: 'PathParameter' }, RoleName: 'deploy' } } });
    expect(estimatePolicyLength(principal({ 'Fn::GetAtt': ['Role', 'Arn'] }), undefined, undefined, lookup).length)
      .toBe(len(principal(`arn:${GOV}:iam::${ACCOUNT}:role${x(512)}deploy`)));
  });

  test('an OIDC provider: its URL when the template has it, an EKS issuer, or the longest issuer', () => {
    const federated = (value: unknown) => ({ Principal: { Federated: value } });
    const lookup = resources({
      Known: { type: 'AWS::IAM::OIDCProvider', properties: { Url: 'https://token.actions.githubusercontent.com' } },
      Eks: { type: 'Custom::AWSCDKOpenIdConnectProvider', properties: { Url: { 'Fn::GetAtt': ['Cluster', 'OpenIdConnectIssuerUrl'] } } },
      Unknown: { type: 'AWS::IAM::OIDCProvider', properties: { Url: { Ref: 'UrlParameter' } } },
      Cluster: { type: 'AWS::EKS::Cluster', properties: {} },
    });
    expect(estimatePolicyLength(federated({ 'Fn::GetAtt': ['Known', 'Arn'] }), undefined, 'aws', lookup).length)
      .toBe(len(federated(`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`)));
    expect(estimatePolicyLength(federated({ Ref: 'Eks' }), undefined, 'aws', lookup).length)
      .toBe(len(federated(`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION()}.${x(16)}/id/${x(32)}`)));
    expect(estimatePolicyLength(federated({ 'Fn::GetAtt': ['Unknown', 'Arn'] }), undefined, 'aws', lookup).length)
      .toBe(len(federated(`arn:aws:iam::${ACCOUNT}:oidc-provider/${x(247)}`)));
  });

  test('a trust anchor, an EKS cluster, a Cognito identity pool and a CfnJson value', () => {
    const lookup = resources({
      Anchor: { type: 'AWS::RolesAnywhere::TrustAnchor', properties: {} },
      Cluster: { type: 'AWS::EKS::Cluster', properties: { Name: 'prod' } },
      Unnamed: { type: 'AWS::EKS::Cluster', properties: {} },
      Pool: { type: 'AWS::Cognito::IdentityPool', properties: {} },
      Json: { type: 'Custom::AWSCDKCfnJson', properties: { Value: { 'Fn::Join': ['', ['{"', { Ref: 'AWS::AccountId' }, ':sub":"a"}']] } } },
    });
    const estimate = (value: unknown) => estimatePolicyLength({ V: value }, undefined, 'aws', lookup).length;
    expect(estimate({ 'Fn::GetAtt': ['Anchor', 'TrustAnchorArn'] })).toBe(len({ V: `arn:aws:rolesanywhere:${REGION()}:${ACCOUNT}:trust-anchor/${x(36)}` }));
    expect(estimate({ 'Fn::GetAtt': ['Cluster', 'Arn'] })).toBe(len({ V: `arn:aws:eks:${REGION()}:${ACCOUNT}:cluster/prod` }));
    expect(estimate({ 'Fn::GetAtt': ['Unnamed', 'Arn'] })).toBe(len({ V: `arn:aws:eks:${REGION()}:${ACCOUNT}:cluster/${x(100)}` }));
    expect(estimate({ Ref: 'Pool' })).toBe(len({ V: `${REGION()}:${x(36)}` }));
    expect(estimate({ 'Fn::GetAtt': ['Json', 'Value'] })).toBe(len({ V: { [`${ACCOUNT}:sub`]: 'a' } }));
  });

  test('the trust anchor attribute tells its kind without a lookup', () => {
    expect(estimatePolicyLength({ V: { 'Fn::GetAtt': ['Anchor', 'TrustAnchorArn'] } }).length)
      .toBe(len({ V: `arn:${GOV}:rolesanywhere:${REGION()}:${ACCOUNT}:trust-anchor/${x(36)}` }));
  });
});

describe('a value of unknown type counts by where it stands', () => {
  test('an AWS principal is a role ARN of the longest path and name', () => {
    const policy = { Principal: { AWS: [{ Ref: 'RoleArnParameter' }, { 'Fn::ImportValue': 'Other' }] } };
    const role = `arn:${GOV}:iam::${ACCOUNT}:role${x(512)}${x(64)}`;
    expect(estimatePolicyLength(policy).length).toBe(len({ Principal: { AWS: [role, role] } }));
  });

  test('a federated principal is an OIDC provider ARN of the longest issuer', () => {
    expect(estimatePolicyLength({ Principal: { Federated: { Ref: 'Provider' } } }).length)
      .toBe(len({ Principal: { Federated: `arn:${GOV}:iam::${ACCOUNT}:oidc-provider/${x(247)}` } }));
  });

  test('condition values by key: account, identity pool, cluster ARN, and the trust anchor of a Roles Anywhere trust', () => {
    const statement = (principal: unknown) => ({
      Principal: principal,
      Condition: {
        StringEquals: {
          'aws:SourceAccount': { Ref: 'Account' },
          'cognito-identity.amazonaws.com:aud': { Ref: 'Pool' },
          'aws:RequestTag/eks-cluster-arn': { Ref: 'Cluster' },
        },
        ArnEquals: { 'aws:SourceArn': { Ref: 'Anchor' } },
      },
    });
    const concrete = (anchor: string) => ({
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Condition: {
        StringEquals: {
          'aws:SourceAccount': ACCOUNT,
          'cognito-identity.amazonaws.com:aud': `${REGION()}:${x(36)}`,
          'aws:RequestTag/eks-cluster-arn': `arn:${GOV}:eks:${REGION()}:${ACCOUNT}:cluster/${x(100)}`,
        },
        ArnEquals: { 'aws:SourceArn': anchor },
      },
    });
    expect(estimatePolicyLength(statement({ Service: 'rolesanywhere.amazonaws.com' })).length)
      .toBe(len(concrete(`arn:${GOV}:rolesanywhere:${REGION()}:${ACCOUNT}:trust-anchor/${x(36)}`)));
    // aws:SourceArn of another service's trust is of unknown kind.
    expect(estimatePolicyLength(statement({ Service: 'rolesanywhere.amazonaws.com' })).length)
      .toBeGreaterThan(estimatePolicyLength(statement({ Service: 'ec2.amazonaws.com' })).length);
  });

  test('a part of an ARN counts as the longest text of its field', () => {
    const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
    const v = (value: unknown) => estimatePolicyLength({ V: value }).length;
    expect(v(join('arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'Account' }, ':root'))).toBe(len({ V: `arn:${GOV}:iam::${ACCOUNT}:root` }));
    expect(v(join('arn:aws:iam::111122223333:role/', { Ref: 'Name' }))).toBe(len({ V: `arn:aws:iam::111122223333:role/${x(576)}` }));
    expect(v(join('arn:aws:iam::111122223333:oidc-provider/', { Ref: 'Issuer' }))).toBe(len({ V: `arn:aws:iam::111122223333:oidc-provider/${x(247)}` }));
    expect(v(join('arn:aws:eks:', { Ref: 'Region' }, ':111122223333:cluster/', { Ref: 'Name' })))
      .toBe(len({ V: `arn:aws:eks:${REGION()}:111122223333:cluster/${x(100)}` }));
    expect(v({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${Account}:root' })).toBe(len({ V: `arn:${GOV}:iam::${ACCOUNT}:root` }));
  });

  test('an OIDC issuer cut from a URL chosen at deploy time counts at the longest issuer', () => {
    const issuer = { 'Fn::Select': [1, { 'Fn::Split': ['https://', { Ref: 'IssuerUrl' }] }] };
    expect(estimatePolicyLength({ V: { 'Fn::Join': ['', [issuer, ':sub']] } }).length).toBe(len({ V: `${x(247)}:sub` }));
  });

  test('elsewhere a value of unknown kind keeps the conservative default and marks the estimate', () => {
    expect(estimatePolicyLength({ V: { Ref: 'Parameter' } })).toEqual({ length: len({ V: x(24) }), estimated: true });
    expect(estimatePolicyLength({ V: { 'Fn::GetAtt': ['Thing', 'WidgetArn'] } })).toEqual({ length: len({ V: x(72) }), estimated: true });
  });
});

describe('in a stack', () => {
  test('templateResourceLookup tells a role\'s path and name from the template', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'us-east-1' } });
    const named = new iam.Role(stack, 'Named', { assumedBy: new iam.AccountPrincipal('111122223333'), path: '/ci/', roleName: 'deploy' });
    const generated = new iam.Role(stack, 'Generated', { assumedBy: new iam.AccountPrincipal('111122223333') });
    const lookup = templateResourceLookup(stack);
    const arnOf = (role: iam.Role) => estimatePolicyLength({ Principal: { AWS: stack.resolve(role.roleArn) } }, undefined, 'aws', lookup).length;
    expect(arnOf(named)).toBe(len({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci/deploy` } }));
    expect(arnOf(generated)).toBe(len({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${x(64)}` } }));
    // A construct added later is found too.
    const later = new iam.Role(stack, 'Later', { assumedBy: new iam.AccountPrincipal('111122223333'), roleName: 'later' });
    expect(arnOf(later)).toBe(len({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/later` } }));
  });

  function trustOf(principals: number): Stack {
    const stack = new Stack(new App(), 'S');
    const role = new iam.Role(stack, 'Role', { assumedBy: TrustPolicy.deferred() });
    const trust = new TrustPolicy(role, { kind: 'TestRole' });
    trust.addStatement({
      principals: Array.from({ length: principals }, (_, i) => new iam.ArnPrincipal(new CfnParameter(stack, `Caller${i}`).valueAsString)),
      actions: ['sts:AssumeRole'],
      conditions: [TrustCondition.stringEquals('sts:ExternalId', ['vendor-1234'])],
    });
    return stack;
  }

  test('role ARNs chosen at deploy time count at their longest, so a trust IAM may refuse does not pass unnoticed', () => {
    // Four role ARNs of up to 613 characters each are over IAM's default quota of 2,048 ...
    const four = trustOf(4);
    Annotations.fromStack(four).hasWarning('/S/Role', Match.stringLikeRegexp("The trust policy is about \\d+ characters, over IAM's default quota of 2048"));
    // ... and seven over the default maximum of 4,096.
    expect(() => Template.fromStack(trustOf(7))).toThrow(/Invalid TestRole 'S\/Role': the trust policy is about \d+ characters, over the maximum of 4096/);
    // Three fit.
    Annotations.fromStack(trustOf(3)).hasNoWarning('/S/Role', Match.anyValue());
  });
});
