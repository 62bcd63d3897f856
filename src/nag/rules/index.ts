export { default as NoIamUserAccessKeys } from './NoIamUserAccessKeys';
export { default as TrustAccountRootNarrowed } from './TrustAccountRootNarrowed';
export { default as TrustAnyPrincipalScoped } from './TrustAnyPrincipalScoped';
export { default as TrustNoSetOperatorOnSingleValuedKey } from './TrustNoSetOperatorOnSingleValuedKey';
export { default as TrustRolesAnywhereSourceArn } from './TrustRolesAnywhereSourceArn';
export { default as TrustSamlAudience } from './TrustSamlAudience';
export { default as TrustWebIdentityAudience } from './TrustWebIdentityAudience';
export { default as TrustWebIdentitySubject } from './TrustWebIdentitySubject';
