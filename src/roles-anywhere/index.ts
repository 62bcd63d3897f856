export * from './trust-anchor';
export * from './certificate-condition';
export * from './roles-anywhere-role';
export * from './profile';
export * from './certificate-revocation-list';
