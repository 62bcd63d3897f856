export * from '../core/trust-scope/kind';
export * from './model';
export * from './access-map';
