export { AccessPatternsChecks } from './pack';
