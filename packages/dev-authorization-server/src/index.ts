export {
  type DevAuthorizationServer,
  type DevAuthorizationServerOptions,
  type IssuedToken,
  startDevAuthorizationServer,
  type TokenRequest,
} from './dev-authorization-server.js';
export { devFetch } from './dev-fetch.js';
export { type HttpsRequest, type HttpsResponse, httpsRequest } from './https-request.js';
