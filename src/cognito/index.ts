export * from './identity-pool-role';
export * from './identity-pool-roles';
export * from './per-identity-iot-access';
export * from './role-mapping';
