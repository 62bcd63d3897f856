export * from './gitlab-oidc-provider';
export * from './gitlab-subject';
export * from './gitlab-ci-role';
