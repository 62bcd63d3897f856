/**
 * The Lambda entry loads the AWS SDK v3 clients that the Node.js runtime ships. The package
 * does not depend on them, so they are virtual modules here: the test checks the wiring
 * (which client serves which call, and that STS signs with the pending key only).
 */
const calls: string[] = [];
const stsCredentials: unknown[] = [];
const stages: Record<string, string[]> = { v0: ['AWSCURRENT'], t1: ['AWSPENDING'] };

jest.mock('@aws-sdk/client-iam', () => ({
  IAM: class {
    public async listAccessKeys() { calls.push('iam.listAccessKeys'); return { AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD', Status: 'Active' }] }; }
    public async createAccessKey() { calls.push('iam.createAccessKey'); return { AccessKey: { AccessKeyId: 'AKIANEW', SecretAccessKey: 'new-secret' } }; }
  },
}), { virtual: true });

jest.mock('@aws-sdk/client-secrets-manager', () => ({
  SecretsManager: class {
    public async describeSecret() { calls.push('secrets.describeSecret'); return { RotationEnabled: true, VersionIdsToStages: stages }; }
    public async getSecretValue(input: { VersionStage?: string; VersionId?: string }) {
      calls.push(`secrets.getSecretValue ${input.VersionStage}`);
      if (input.VersionStage === 'AWSCURRENT') return { SecretString: JSON.stringify({ UserName: 'app', AccessKeyId: 'AKIAOLD', SecretAccessKey: 'old' }) };
      if (input.VersionId === 't1' && calls.includes('secrets.putSecretValue')) {
        return { SecretString: JSON.stringify({ UserName: 'app', AccessKeyId: 'AKIANEW', SecretAccessKey: 'new-secret' }) };
      }
      const e = new Error('not found');
      e.name = 'ResourceNotFoundException';
      throw e;
    }
    public async putSecretValue() { calls.push('secrets.putSecretValue'); return {}; }
  },
}), { virtual: true });

jest.mock('@aws-sdk/client-sts', () => ({
  STS: class {
    constructor(config: { credentials?: unknown }) { stsCredentials.push(config.credentials); }
    public async getCallerIdentity() { calls.push('sts.getCallerIdentity'); return { Arn: 'arn:aws:iam::222222222222:user/legacy/app' }; }
  },
}), { virtual: true });

import { handler } from '../../src/access-keys/rotation-function';

test('createSecret and testSecret through the runtime\'s SDK clients', async () => {
  await handler({ SecretId: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:k', ClientRequestToken: 't1', Step: 'createSecret' });
  expect(calls).toEqual(expect.arrayContaining(['iam.listAccessKeys', 'iam.createAccessKey', 'secrets.putSecretValue']));
  await handler({ SecretId: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:k', ClientRequestToken: 't1', Step: 'testSecret' });
  expect(calls).toContain('sts.getCallerIdentity');
  expect(stsCredentials).toEqual([{ accessKeyId: 'AKIANEW', secretAccessKey: 'new-secret' }]);
});
