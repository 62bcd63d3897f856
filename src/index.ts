export * from './core';
export * from './cross-account';
export * from './nag';
