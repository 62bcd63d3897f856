export * from './kubernetes';
export * from './irsa-role';
export * from './pod-identity-role';
export * from './pod-identity-association';
export * from './addon-policy';
export * from './pod-identity-agent';
export * from './cluster-access';
export * from './karpenter';
