import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { CatalogEntry, siteFor } from './grant';
import { validateNotEmpty } from '../../core/validation';

/** The upstream release whose published policy these statements follow. */
export const PRIVATE_CA_ISSUER_UPSTREAM = 'cert-manager/aws-privateca-issuer v1.9.0';

/**
 * The AWS Private CA issuer for cert-manager (`aws-privateca-issuer`): issues certificates
 * from the given private certificate authorities only.
 *
 * For `AddonPolicy.privateCaIssuer`: the statements of the issuer's published policy (v1.9.0).
 *
 * @see https://github.com/cert-manager/aws-privateca-issuer/blob/v1.9.0/README.md#configuration
 */
export function privateCaIssuerEntry(options: { readonly certificateAuthorities: acmpca.ICertificateAuthority[] }): CatalogEntry {
  validateNotEmpty(siteFor('privateCaIssuer'), 'certificateAuthorities', options.certificateAuthorities,
    'give the private CAs that the AWSPCAIssuer or AWSPCAClusterIssuer resources name');
  return {
    controller: 'aws-privateca-issuer',
    id: 'PrivateCaIssuer',
    grants: () => [{
      actions: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
      resources: options.certificateAuthorities.map(ca => ca.certificateAuthorityArn),
    }],
  };
}
