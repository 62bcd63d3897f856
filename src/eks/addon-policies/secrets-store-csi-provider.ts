import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CatalogEntry, Grant, siteFor } from './grant';
import { fail } from '../../core/errors';

/** The upstream release whose published policy these statements follow. */
export const SECRETS_STORE_CSI_PROVIDER_UPSTREAM = 'aws/secrets-store-csi-driver-provider-aws 3.1.1';

/**
 * The AWS provider of the Secrets Store CSI driver: the role of the pods that mount the
 * secrets (the provider fetches them with the pod's credentials) reads exactly the given
 * Secrets Manager secrets and SSM parameters.
 *
 * For `AddonPolicy.secretsStoreCsiProvider`: the statements of the provider's published
 * policy (3.1.1: `secretsmanager:GetSecretValue`, `secretsmanager:DescribeSecret`, and
 * `ssm:GetParameters` for parameters), on the given secrets and parameters.
 *
 * @see https://github.com/aws/secrets-store-csi-driver-provider-aws/blob/3.1.1/README.md
 */
export function secretsStoreCsiProviderEntry(options: {
  readonly secrets?: secretsmanager.ISecret[];
  readonly parameters?: ssm.IParameter[];
  readonly kmsKeys?: kms.IKey[];
}): CatalogEntry {
  const secrets = options.secrets ?? [];
  const parameters = options.parameters ?? [];
  if (secrets.length + parameters.length === 0) {
    fail(siteFor('secretsStoreCsiProvider'), 'secrets', 'neither secrets nor parameters are given, so the pods could mount nothing',
      'list the secrets and parameters the SecretProviderClass objects name');
  }
  return {
    controller: 'secrets-store-csi-driver-provider-aws',
    id: 'SecretsStoreCsiProvider',
    grants: () => {
      const grants: Grant[] = [];
      if (secrets.length > 0) {
        grants.push({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: secrets.map(s => s.secretFullArn ?? `${s.secretArn}-??????`),
          why: 'a secret imported by name has a random six-character suffix, matched by "-??????"',
        });
      }
      if (parameters.length > 0) grants.push({ actions: ['ssm:GetParameters'], resources: parameters.map(p => p.parameterArn) });
      const keys = (options.kmsKeys ?? []).map(k => k.keyArn);
      if (keys.length > 0) grants.push({ actions: ['kms:Decrypt'], resources: keys });
      return grants;
    },
  };
}
