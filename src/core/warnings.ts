/**
 * The ids of the warnings this library leaves with `Annotations.addWarningV2` for risky
 * but legal choices, which users acknowledge by id. The README lists them all.
 */
export const WARNING = {
  /** A CrossAccountRole trusts whole accounts or organizations (`allowAccountWideTrust`). */
  accountWideTrust: 'cdk-access-patterns:accountWideTrust',
  /** Sessions or credentials last longer than one hour (`allowLongSessions`). */
  longSession: 'cdk-access-patterns:longSession',
  /** A trust policy is above IAM's default quota of 2,048 characters. */
  trustPolicySize: 'cdk-access-patterns:trustPolicySize',
  /** A GitHubActionsRole trusts every repository of an owner. */
  allRepositories: 'cdk-access-patterns:allRepositories',
  /** An OidcFederatedRole subject matches every workload of one tenant (`allowOwnerWideSubjects`). */
  ownerWideSubject: 'cdk-access-patterns:ownerWideSubject',
  /** A GitLabCiRole trusts every project of a group. */
  gitlabGroup: 'cdk-access-patterns:gitlabGroup',
  /** An IrsaRole trusts every service account of a namespace. */
  allServiceAccounts: 'cdk-access-patterns:allServiceAccounts',
  /** A Pod Identity target role outside this app's reach, whose trust is not updated. */
  podIdentityTargetTrust: 'cdk-access-patterns:podIdentityTargetTrust',
  /** A cluster access entry gives full control of the cluster. */
  clusterAdmin: 'cdk-access-patterns:clusterAdmin',
  /** A cluster access entry reads every Secret of the cluster. */
  clusterAdminView: 'cdk-access-patterns:clusterAdminView',
  /** A cluster access entry's custom username has no `{{SessionName}}`: every session is one user. */
  accessEntryUsername: 'cdk-access-patterns:accessEntryUsername',
  /** A LegacyAccessKey's key works from any network (`networkConditionWaiver`). */
  legacyKeyNetworkWaiver: 'cdk-access-patterns:legacyKeyNetworkWaiver',
  /** A RolesAnywhereRole trusts every certificate of its trust anchors (`allowAnyCertificate`). */
  anyCertificate: 'cdk-access-patterns:anyCertificate',
  /** A CA certificate of a trust anchor expires soon. */
  caCertificateExpiresSoon: 'cdk-access-patterns:caCertificateExpiresSoon',
  /** A certificate revocation list is past its `nextUpdate`. */
  staleCrl: 'cdk-access-patterns:staleCrl',
  /** A permission set has more managed policies than IAM's default quota per role. */
  permissionSetPolicyQuota: 'cdk-access-patterns:permissionSetPolicyQuota',
  /** A permission set is renamed (`allowReplacement`), which replaces it and its assignments. */
  permissionSetReplacement: 'cdk-access-patterns:permissionSetReplacement',
  /** An IdentityPoolRole serves unauthenticated (guest) identities. */
  unauthenticatedIdentities: 'cdk-access-patterns:unauthenticatedIdentities',
} as const;
