export {
  type DevAuthorizationServer,
  type DevAuthorizationServerOptions,
  type IssuedToken,
  startDevAuthorizationServer,
  type TokenRequest,
} from './dev-authorization-server.js';
export { devFetch } from './dev-fetch.js';
