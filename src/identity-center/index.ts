export * from './instance';
export * from './principal';
export * from './permission-set';
export * from './assignment-target';
export * from './account-assignments';
export * from './access-control-attributes';
export * from './principal-tag-policy';
