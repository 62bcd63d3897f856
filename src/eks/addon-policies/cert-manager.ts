import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CatalogEntry, NO_RESOURCE_LEVEL, siteFor, validateZones } from './grant';

/**
 * cert-manager's Route 53 DNS-01 solver: only `TXT` records named `_acme-challenge.*`
 * in the given hosted zones.
 *
 * For `AddonPolicy.certManager`: checks the options and builds the statements of the published policy.
 *
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
 */
export function certManagerEntry(options: { readonly hostedZones: route53.IHostedZone[] }): CatalogEntry {
  validateZones(siteFor('certManager'), options);
  return {
    controller: 'cert-manager',
    id: 'CertManager',
    grants: scope => {
      const zones = options.hostedZones.map(z => z.hostedZoneArn);
      return [
        {
          actions: ['route53:GetChange'],
          resources: [Stack.of(scope).formatArn({ service: 'route53', region: '', account: '', resource: 'change', resourceName: '*' })],
          why: 'Route 53 change ids are only known once a change is submitted',
        },
        { actions: ['route53:ListResourceRecordSets'], resources: zones },
        {
          actions: ['route53:ChangeResourceRecordSets'],
          resources: zones,
          conditions: {
            'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
            'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
          },
        },
        { actions: ['route53:ListHostedZonesByName'], resources: ['*'], why: NO_RESOURCE_LEVEL },
      ];
    },
  };
}
