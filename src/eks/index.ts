export * from './kubernetes';
export * from './irsa-role';
export * from './pod-identity-role';
export * from './pod-identity-association';
