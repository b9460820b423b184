/**
 * A TCP proxy on 127.0.0.1 in front of a node, to cut the service off from the chain and reconnect it
 * without restarting the node (a restarted local node would start from an empty chain).
 */
import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";

export class TcpProxy {
  port = 0;
  readonly #targetPort: number;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();

  constructor(targetPort: number) {
    this.#targetPort = targetPort;
  }

  /** Starts forwarding, on a free port the first time and on the same port afterwards. */
  async start(): Promise<this> {
    if (this.#server) return this;
    const server = createServer((client) => this.#relay(client));
    server.listen(this.port, "127.0.0.1");
    await once(server, "listening");
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops accepting and drops every open connection: the chain is unreachable through the proxy. */
  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #relay(client: Socket): void {
    const upstream = createConnection(this.#targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
