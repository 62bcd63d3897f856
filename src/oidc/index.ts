export * from './oidc-federated-role';
export * from './web-identity-role';
export * from './azure-workload-role';
