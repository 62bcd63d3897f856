export * from './identity-pool-role';
export * from './identity-pool-roles';
