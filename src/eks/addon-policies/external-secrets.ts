import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CatalogEntry, Grant, siteFor } from './grant';
import { fail } from '../../core/errors';

/**
 * External Secrets Operator: reads exactly the given Secrets Manager secrets and SSM
 * parameters (and decrypts with the given keys).
 *
 * For `AddonPolicy.externalSecrets`: checks the options and builds the statements of the published policy.
 *
 * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
 */
export function externalSecretsEntry(options: {
  readonly secrets?: secretsmanager.ISecret[];
  readonly parameters?: ssm.IParameter[];
  readonly kmsKeys?: kms.IKey[];
}): CatalogEntry {
  const site = siteFor('externalSecrets');
  const secrets = options.secrets ?? [];
  const parameters = options.parameters ?? [];
  if (secrets.length + parameters.length === 0) {
    fail(site, 'secrets', 'neither secrets nor parameters are given, so the operator could read nothing',
      'list the secrets and parameters the ExternalSecret resources name');
  }
  return {
    controller: 'external-secrets',
    id: 'ExternalSecrets',
    grants: () => {
      const grants: Grant[] = [];
      if (secrets.length > 0) {
        grants.push({
          actions: ['secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
          resources: secrets.map(s => s.secretFullArn ?? `${s.secretArn}-??????`),
          why: 'a secret imported by name has a random six-character suffix, matched by "-??????"',
        });
      }
      if (parameters.length > 0) {
        grants.push({
          actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'],
          resources: parameters.map(p => p.parameterArn),
        });
      }
      const keys = (options.kmsKeys ?? []).map(k => k.keyArn);
      if (keys.length > 0) grants.push({ actions: ['kms:Decrypt'], resources: keys });
      return grants;
    },
  };
}
