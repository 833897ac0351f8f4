import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real JWKS endpoint on 127.0.0.1 (port 0) whose answer tests change and whose requests they count. */
export class JwksServer {
  readonly #server: Server;
  requests = 0;
  status = 200;
  document: unknown = { keys: [] };

  private constructor() {
    this.#server = createServer((_request, response) => {
      this.requests++;
      const body = this.status === 200 ? JSON.stringify(this.document) : 'unavailable';
      response.writeHead(this.status, { 'content-type': 'application/json' }).end(body);
    });
  }

  static async start(document: unknown): Promise<JwksServer> {
    const server = new JwksServer();
    server.document = document;
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/jwks`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Wait (bounded) until the server has answered `count` requests, e.g. after a background refresh. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} JWKS requests, saw ${this.requests}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
