import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TrustCondition, TrustPolicy } from '../../src';
import { estimatePolicyLength } from '../../src/core/policy-size';

describe('estimatePolicyLength', () => {
  test('counts a concrete policy exactly, without whitespace', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] };
    expect(estimatePolicyLength(policy)).toEqual({ length: JSON.stringify(policy).length, estimated: false });
  });

  test('replaces pseudo parameters with values of typical length and marks the estimate', () => {
    const policy = { Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } } };
    const concrete = { Principal: { AWS: 'arn:aws:iam::123456789012:root' } };
    expect(estimatePolicyLength(policy, undefined, 'aws')).toEqual({ length: JSON.stringify(concrete).length, estimated: true });
  });

  test('counts an unknown partition as the longest one, so that the estimate does not fall short', () => {
    const policy = { Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } } };
    const govCloud = { Principal: { AWS: 'arn:aws-us-gov:iam::123456789012:root' } };
    expect(estimatePolicyLength(policy).length).toBe(JSON.stringify(govCloud).length);
  });

  test('opens a condition block that lives in a CfnJson value', () => {
    const policy = { Condition: { StringEquals: { 'Fn::GetAtt': ['Json', 'Value'] } } };
    const known = estimatePolicyLength(policy, () => '{"issuer:aud":"sts.amazonaws.com"}');
    expect(known.length).toBe(JSON.stringify({ Condition: { StringEquals: { 'issuer:aud': 'sts.amazonaws.com' } } }).length);
    const unknownArn = estimatePolicyLength({ Principal: { 'Fn::GetAtt': ['Provider', 'Arn'] } });
    expect(unknownArn.length).toBe(JSON.stringify({ Principal: 'x'.repeat(72) }).length);
  });

  test('the size guard measures condition blocks that go through CfnJson', () => {
    const stack = new Stack(new App(), 'S');
    const role = new iam.Role(stack, 'Role', { assumedBy: TrustPolicy.deferred() });
    const trust = new TrustPolicy(role, { kind: 'TestRole' });
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    const subjects = Array.from({ length: 60 }, (_, i) => `system:serviceaccount:team-${i}:controller`);
    trust.addStatement({
      principals: [new iam.FederatedPrincipal('arn:aws:iam::222222222222:oidc-provider/oidc.eks')],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: [TrustCondition.stringEquals(`${issuer}:aud`, ['sts.amazonaws.com']), TrustCondition.stringMatches(`${issuer}:sub`, subjects)],
    });
    Annotations.fromStack(stack).hasWarning('/S/Role', Match.stringLikeRegexp("The trust policy is about \\d+ characters, over IAM's default quota"));
  });
});
