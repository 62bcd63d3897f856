export * from './assume-role-monitor';
