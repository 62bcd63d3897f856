import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessMap, WebIdentityProvider, WebIdentityRole } from '../../src';
import { TEST_ENV } from '../support/env';
import { accessPatternsFindings, nagFindings } from '../support/nag';
import { AssumeRequest, simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const GOOGLE_CLIENT = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';
const OTHER_CLIENT = '999999999999-evilevilevilevilevilevilevil0000.apps.googleusercontent.com';
const GCP_SA = '100000000000000000001';
const OTHER_SA = '100000000000000000009';
const FB_APP = '123456789012345';
const LWA_APP = 'amzn1.application-oa2-client.5a9b7c1e0d3f4e2a';

function newStack(): Stack {
  return new Stack(new App(), 'App', { env: TEST_ENV });
}

/**
 * A token of a built-in provider. The simulator reads a principal that is neither an ARN nor a
 * service as one of another account, which also needs its own identity policy; STS evaluates
 * only the trust, so the request carries an allow for the caller side and the trust decides.
 */
function token(provider: string, claims: Record<string, string>): AssumeRequest {
  return { ...webIdentity(provider, claims), callerPolicy: true };
}

describe('WebIdentityRole', () => {
  test('Google: the client id pins accounts.google.com:aud, the users accounts.google.com:sub', () => {
    const stack = newStack();
    new WebIdentityRole(stack, 'GoogleUsers', { provider: WebIdentityProvider.google({ clientIds: [GOOGLE_CLIENT], userIds: ['110169484474386276334'] }) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: 'accounts.google.com' },
          Condition: { StringEquals: { 'accounts.google.com:aud': GOOGLE_CLIENT, 'accounts.google.com:sub': '110169484474386276334' } },
        }],
      },
    });
  });

  test('a GCP service account: unique id as aud (azp) and sub, the requested audience as oaud', () => {
    const stack = newStack();
    new WebIdentityRole(stack, 'FromGcp', { provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: [GCP_SA], audience: 'sts.amazonaws.com' }) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Federated: 'accounts.google.com' },
          Condition: { StringEquals: { 'accounts.google.com:aud': GCP_SA, 'accounts.google.com:oaud': 'sts.amazonaws.com', 'accounts.google.com:sub': GCP_SA } },
        }],
      },
    });
  });

  test('Facebook and Login with Amazon: the app id keys, without a user key unless asked', () => {
    const stack = newStack();
    new WebIdentityRole(stack, 'Facebook', { provider: WebIdentityProvider.facebook({ appIds: [FB_APP] }) });
    new WebIdentityRole(stack, 'Amazon', { provider: WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP], userIds: ['amzn1.account.AF2EXAMPLE'] }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Principal: { Federated: 'graph.facebook.com' }, Condition: { StringEquals: { 'graph.facebook.com:app_id': FB_APP, 'graph.facebook.com:id': Match.absent() } } }],
      },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Principal: { Federated: 'www.amazon.com' }, Condition: { StringEquals: { 'www.amazon.com:app_id': LWA_APP, 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' } } }],
      },
    });
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    new WebIdentityRole(stack, 'GoogleUsers', { provider: WebIdentityProvider.google({ clientIds: [GOOGLE_CLIENT] }) });
    new WebIdentityRole(stack, 'FromGcp', { provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: [GCP_SA], audience: 'aws-reader' }) });
    new WebIdentityRole(stack, 'Facebook', { provider: WebIdentityProvider.facebook({ appIds: [FB_APP], userIds: ['10158000000000001'] }) });
    new WebIdentityRole(stack, 'Amazon', { provider: WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP], userIds: ['amzn1.account.AF2EXAMPLE'] }) });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the nag pack accepts every key IAM documents for the built-in providers, on plain aws-cdk-lib roles', () => {
    const stack = newStack();
    const role = (id: string, provider: string, conditions: Record<string, string>) => new iam.Role(stack, id, {
      assumedBy: new iam.WebIdentityPrincipal(provider, { StringEquals: conditions }),
    });
    role('Google', 'accounts.google.com', { 'accounts.google.com:aud': GOOGLE_CLIENT, 'accounts.google.com:oaud': GOOGLE_CLIENT, 'accounts.google.com:sub': '1' });
    role('Facebook', 'graph.facebook.com', { 'graph.facebook.com:app_id': FB_APP, 'graph.facebook.com:id': '10158000000000001' });
    role('Amazon', 'www.amazon.com', { 'www.amazon.com:app_id': LWA_APP, 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' });
    Template.fromStack(stack);
    expect(accessPatternsFindings(stack)).toEqual([]);
    // ... and reports the app id missing, with the key to add.
    const bare = newStack();
    new iam.Role(bare, 'Amazon', { assumedBy: new iam.WebIdentityPrincipal('www.amazon.com', { StringEquals: { 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' } }) });
    new iam.Role(bare, 'Gcp', { assumedBy: new iam.WebIdentityPrincipal('accounts.google.com', { StringEquals: { 'accounts.google.com:oaud': 'sts.amazonaws.com' } }) });
    Template.fromStack(bare);
    expect(accessPatternsFindings(bare).map(f => f.rule).sort()).toEqual([
      'AccessPatterns-TrustWebIdentityAudience[Missing::accounts.google.com:aud]',
      'AccessPatterns-TrustWebIdentityAudience[Missing::www.amazon.com:app_id]',
    ]);
  });

  test('the access map says the provider, the app and the users', () => {
    const stack = newStack();
    new WebIdentityRole(stack, 'Amazon', { provider: WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP], userIds: ['amzn1.account.AF2EXAMPLE'] }) });
    new WebIdentityRole(stack, 'FromGcp', { provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: [GCP_SA], audience: 'aws-reader' }) });
    const map = AccessMap.fromStack(stack);
    const ways = map.roles.flatMap(r => r.waysIn);
    expect(ways.map(w => w.who)).toEqual([
      `Login with Amazon app ${LWA_APP}: user amzn1.account.AF2EXAMPLE`,
      `Google app ${GCP_SA}: user ${GCP_SA}`,
    ]);
    expect(ways.every(w => w.broad === undefined)).toBe(true);
  });

  test('simulation: Google: the app\'s users get in; another app id, a token of another app for the same user, are denied', async () => {
    const stack = newStack();
    const role = new WebIdentityRole(stack, 'GoogleUsers', { provider: WebIdentityProvider.google({ clientIds: [GOOGLE_CLIENT] }) });
    expect(await simulate(stack, role, token('accounts.google.com', { 'accounts.google.com:aud': GOOGLE_CLIENT, 'accounts.google.com:sub': '1' }))).toBe('Allowed');
    expect(await simulate(stack, role, token('accounts.google.com', { 'accounts.google.com:aud': OTHER_CLIENT, 'accounts.google.com:oaud': GOOGLE_CLIENT, 'accounts.google.com:sub': '1' }))).toBe('Denied');
    // Another provider's token with the same app id value never matches the principal.
    expect(await simulate(stack, role, token('graph.facebook.com', { 'accounts.google.com:aud': GOOGLE_CLIENT }))).toBe('Denied');
  });

  test('simulation: GCP: the service account gets in; another service account asking for the same audience is denied', async () => {
    const stack = newStack();
    const role = new WebIdentityRole(stack, 'FromGcp', { provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: [GCP_SA], audience: 'aws-reader' }) });
    const gcp = (sa: string, audience: string) => token('accounts.google.com', { 'accounts.google.com:aud': sa, 'accounts.google.com:oaud': audience, 'accounts.google.com:sub': sa });
    expect(await simulate(stack, role, gcp(GCP_SA, 'aws-reader'))).toBe('Allowed');
    expect(await simulate(stack, role, gcp(OTHER_SA, 'aws-reader'))).toBe('Denied');
    expect(await simulate(stack, role, gcp(GCP_SA, 'another-role'))).toBe('Denied');
  });

  test('simulation: Facebook and Login with Amazon: another app id and another user are denied', async () => {
    const stack = newStack();
    const fb = new WebIdentityRole(stack, 'Facebook', { provider: WebIdentityProvider.facebook({ appIds: [FB_APP], userIds: ['10158000000000001'] }) });
    const lwa = new WebIdentityRole(stack, 'Amazon', { provider: WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP] }) });
    const fbToken = (app: string, user: string) => token('graph.facebook.com', { 'graph.facebook.com:app_id': app, 'graph.facebook.com:id': user });
    expect(await simulate(stack, fb, fbToken(FB_APP, '10158000000000001'))).toBe('Allowed');
    expect(await simulate(stack, fb, fbToken('999999999999999', '10158000000000001'))).toBe('Denied');
    expect(await simulate(stack, fb, fbToken(FB_APP, '10158000000000002'))).toBe('Denied');
    const lwaToken = (app: string) => token('www.amazon.com', { 'www.amazon.com:app_id': app, 'www.amazon.com:user_id': 'amzn1.account.X' });
    expect(await simulate(stack, lwa, lwaToken(LWA_APP))).toBe('Allowed');
    expect(await simulate(stack, lwa, lwaToken('amzn1.application-oa2-client.evil'))).toBe('Denied');
  });

  test('refuses a Google client id of the wrong shape, a pattern, an email as service account id', () => {
    const google = (clientIds: string[]) => () => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.google({ clientIds }) });
    expect(google(['my-app'])).toThrow(/Invalid WebIdentityRole 'App\/R' prop 'provider.clientIds': 'my-app' is not a Google OAuth 2.0 client id/);
    expect(google(['*.apps.googleusercontent.com'])).toThrow(/prop 'provider.clientIds': '\*.apps.googleusercontent.com' is a pattern/);
    expect(google([])).toThrow(/prop 'provider.clientIds': the list is empty/);
    expect(google([GOOGLE_CLIENT, GOOGLE_CLIENT])).toThrow(/listed more than once/);
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: ['deploy@acme.iam.gserviceaccount.com'], audience: 'x' }) }))
      .toThrow(/prop 'provider.uniqueIds': 'deploy@acme.iam.gserviceaccount.com' is not the unique id of a Google Cloud service account/);
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: [GCP_SA], audience: 'aws-*' }) }))
      .toThrow(/prop 'provider.audience': 'aws-\*' contains a wildcard/);
  });

  test('refuses Facebook and Amazon app ids of the wrong shape, and user id patterns', () => {
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.facebook({ appIds: ['*'] }) })).toThrow(/prop 'provider.appIds': '\*' is a pattern/);
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.facebook({ appIds: ['my-app'] }) })).toThrow(/is not a numeric Facebook app id/);
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.loginWithAmazon({ appIds: ['123'] }) })).toThrow(/is not a Login with Amazon app or client id/);
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP], userIds: ['amzn1.account.*'] }) }))
      .toThrow(/prop 'provider.userIds': 'amzn1.account.\*' contains a wildcard/);
    expect(() => new WebIdentityRole(newStack(), 'R', { provider: WebIdentityProvider.facebook({ appIds: [FB_APP], userIds: [] }) })).toThrow(/prop 'provider.userIds': the list is empty/);
  });

  test('accepts tokens as inputs', () => {
    const stack = newStack();
    const app = new CfnParameter(stack, 'AppId').valueAsString;
    const user = new CfnParameter(stack, 'UserId').valueAsString;
    new WebIdentityRole(stack, 'Facebook', { provider: WebIdentityProvider.facebook({ appIds: [app], userIds: [user] }) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { 'graph.facebook.com:app_id': { Ref: 'AppId' }, 'graph.facebook.com:id': { Ref: 'UserId' } } } }] },
    });
  });
});
