export * from './saml-audience';
export * from './saml-condition';
export * from './saml-federated-role';
