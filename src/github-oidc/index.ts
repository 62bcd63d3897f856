export * from './github-oidc-provider';
export * from './github-subject';
export * from './github-actions-role';
