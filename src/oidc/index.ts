export * from './oidc-federated-role';
