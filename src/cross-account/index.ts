export * from './cross-account-role';
export * from './third-party-role';
