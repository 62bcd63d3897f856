/**
 * The Lambda entry of the access key rotation: the AWS SDK for JavaScript v3 clients that
 * the Node.js Lambda runtime ships, passed to the rotation steps (`rotation.ts`). The SDK is
 * loaded when the function runs, so the package needs no dependency on it.
 */
import { RotationClients, RotationEvent, rotate } from './rotation';

/* eslint-disable @typescript-eslint/no-require-imports */
function clients(): RotationClients {
  const { IAM } = require('@aws-sdk/client-iam');
  const { SecretsManager } = require('@aws-sdk/client-secrets-manager');
  const { STS } = require('@aws-sdk/client-sts');
  const iam = new IAM({});
  const secrets = new SecretsManager({});
  return {
    iam,
    secrets,
    callerArn: async (credentials) => {
      // The regional endpoint of the function's region, with the pending key and nothing else.
      const sts = new STS({ credentials });
      const identity = await sts.getCallerIdentity({});
      return String(identity.Arn);
    },
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

let cached: RotationClients | undefined;

/** Secrets Manager's rotation event in, nothing out; a thrown error fails the step. */
export async function handler(event: RotationEvent): Promise<void> {
  cached ??= clients();
  await rotate(event, cached);
}
