import * as route53 from 'aws-cdk-lib/aws-route53';
import { CatalogEntry, NO_RESOURCE_LEVEL, siteFor, validateZones } from './grant';

/**
 * ExternalDNS (`external-dns`): changes and lists the records of the given hosted zones.
 *
 * For `AddonPolicy.externalDns`: checks the options and builds the statements of the published policy.
 *
 * @see https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws.md
 */
export function externalDnsEntry(options: { readonly hostedZones: route53.IHostedZone[] }): CatalogEntry {
  validateZones(siteFor('externalDns'), options);
  return {
    controller: 'external-dns',
    id: 'ExternalDns',
    grants: () => {
      const zones = options.hostedZones.map(z => z.hostedZoneArn);
      return [
        { actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: zones },
        { actions: ['route53:ListHostedZones'], resources: ['*'], why: NO_RESOURCE_LEVEL },
      ];
    },
  };
}
