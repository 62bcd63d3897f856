export { CrossAccountRole, CrossAccountRoleProps, GrantAssumeOptions } from './cross-account-role';
export { ThirdPartyRole, ThirdPartyRoleProps } from './third-party-role';
