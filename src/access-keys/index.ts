export * from './access-key-guardrails';
export * from './legacy-access-key';
