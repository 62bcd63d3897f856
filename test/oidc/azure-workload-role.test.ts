import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessMap, AzureTokenVersion, AzureWorkloadRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '0d3f4e2a-9b8c-4d6e-8f4a-3b2c5a9b7c1e';
const IDENTITY = '9d6f7c4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f';
const OTHER_IDENTITY = '1b2a9d6f-7c4e-4c3d-8e9f-5f0a1b2c3d4e';
const AUDIENCE = 'api://aws-reader';
const V1 = `sts.windows.net/${TENANT}/`;

function newStack(): Stack {
  return new Stack(new App(), 'App', { env: TEST_ENV });
}

/** An Entra ID access token of `issuer` (host and path) presented through the provider of `issuer` in the test account. */
function entraToken(issuer: string, claims: { aud?: string; sub?: string }) {
  return webIdentity(`arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${issuer}`, {
    [`${issuer}:aud`]: claims.aud ?? AUDIENCE,
    [`${issuer}:sub`]: claims.sub ?? IDENTITY,
  });
}

describe('AzureWorkloadRole', () => {
  test('v1.0 tokens: the sts.windows.net/<tenant>/ provider, audience and object id pinned', () => {
    const stack = newStack();
    new AzureWorkloadRole(stack, 'FromAzure', { tenantId: TENANT, audience: AUDIENCE, objectIds: [IDENTITY] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:oidc-provider/${V1}`]] } },
          Condition: { StringEquals: { [`${V1}:aud`]: AUDIENCE, [`${V1}:sub`]: IDENTITY } },
        }],
      },
    });
  });

  test('v2.0 tokens: the login.microsoftonline.com/<tenant>/v2.0 issuer; a tenant in capitals is written in lower case', () => {
    const stack = newStack();
    const role = new AzureWorkloadRole(stack, 'FromAzure', { tenantId: TENANT.toUpperCase(), audience: AUDIENCE, objectIds: [IDENTITY], tokenVersion: AzureTokenVersion.V2 });
    expect(role.issuer).toBe(`login.microsoftonline.com/${TENANT}/v2.0`);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { [`login.microsoftonline.com/${TENANT}/v2.0:sub`]: IDENTITY } } }] },
    });
  });

  test('matches the snapshot, passes the nag packs, and the access map names the tenant issuer', () => {
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Entra', { url: `https://${V1}`, clientIds: [AUDIENCE] });
    new AzureWorkloadRole(stack, 'FromAzure', { tenantId: TENANT, audience: AUDIENCE, objectIds: [IDENTITY], provider });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
    const ways = AccessMap.fromStack(stack).roles.flatMap(r => r.waysIn);
    expect(ways.map(w => [w.who, w.broad])).toEqual([[`OIDC issuer ${V1}: subject ${IDENTITY}`, undefined]]);
  });

  test('simulation: the managed identity gets in; another identity, another tenant, another audience are denied', async () => {
    const stack = newStack();
    const role = new AzureWorkloadRole(stack, 'FromAzure', { tenantId: TENANT, audience: AUDIENCE, objectIds: [IDENTITY] });
    expect(await simulate(stack, role, entraToken(V1, {}))).toBe('Allowed');
    expect(await simulate(stack, role, entraToken(V1, { sub: OTHER_IDENTITY }))).toBe('Denied');
    expect(await simulate(stack, role, entraToken(`sts.windows.net/${OTHER_TENANT}/`, {}))).toBe('Denied');
    expect(await simulate(stack, role, entraToken(V1, { aud: 'https://management.azure.com/' }))).toBe('Denied');
  });

  test('refuses a tenant that is not a GUID, object ids that are not GUIDs, an audience pattern', () => {
    const make = (props: Partial<ConstructorParameters<typeof AzureWorkloadRole>[2]>) => () => new AzureWorkloadRole(newStack(), 'R', {
      tenantId: TENANT, audience: AUDIENCE, objectIds: [IDENTITY], ...props,
    });
    expect(make({ tenantId: 'contoso.onmicrosoft.com' })).toThrow(/Invalid AzureWorkloadRole 'App\/R' prop 'tenantId': 'contoso.onmicrosoft.com' is not a GUID; give the tenant \(directory\) id/);
    expect(make({ tenantId: 'common' })).toThrow(/prop 'tenantId': 'common' is not a GUID/);
    expect(make({ objectIds: ['my-identity'] })).toThrow(/prop 'objectIds': 'my-identity' is not a GUID/);
    expect(make({ objectIds: ['*'] })).toThrow(/prop 'objectIds': '\*' is not a GUID/);
    expect(make({ objectIds: [] })).toThrow(/prop 'objectIds': the list is empty/);
    expect(make({ audience: 'api://*' })).toThrow(/prop 'audience': 'api:\/\/\*' contains a wildcard/);
  });

  test('refuses a provider of another account', () => {
    const stack = newStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'P', `arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${V1}`);
    expect(() => new AzureWorkloadRole(stack, 'R', { tenantId: TENANT, audience: AUDIENCE, objectIds: [IDENTITY], provider }))
      .toThrow(/prop 'provider': the OIDC provider is in account 333333333333/);
  });

  test('accepts tokens as inputs', () => {
    const stack = newStack();
    const objectId = new CfnParameter(stack, 'ObjectId').valueAsString;
    const audience = new CfnParameter(stack, 'Audience').valueAsString;
    new AzureWorkloadRole(stack, 'FromAzure', { tenantId: TENANT, audience, objectIds: [objectId] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { [`${V1}:aud`]: { Ref: 'Audience' }, [`${V1}:sub`]: { Ref: 'ObjectId' } } } }] },
    });
  });
});
