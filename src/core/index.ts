export * from './pattern-role-props.generated';
export { TrustCondition } from './trust-condition';
export { TrustPolicy, TrustPolicyProps, TrustStatement, TrustStatementOptions } from './trust-policy';
