export { PatternRole } from './pattern-role';
export * from './pattern-role-props.generated';
export * from './trust-condition';
export * from './trust-policy';
