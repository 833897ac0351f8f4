// Express 4 and Koa 2, installed under the aliases express4 and koa2 so the adapter is tested
// against the previous majors too. Typed as the current majors: the API used here is the same.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
