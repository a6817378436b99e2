// A TCP proxy on 127.0.0.1 that passes requests through at once and holds the answers back for `answerDelayMs`:
// the tenant has already acted when its answer is still on the way, the window in which a killed provider leaves an
// application the engine never recorded.
import * as net from "node:net";

/** A running proxy. */
export interface DelayProxy {
  /** `http://127.0.0.1:PORT`, to use as a tenant's baseUrl. */
  url: string;
  /** How long answers are held back, ms; may be changed at any time. */
  answerDelayMs: number;
  close(): Promise<void>;
}

/** Starts a proxy to `upstreamUrl` (http://host:port). */
export async function startDelayProxy(upstreamUrl: string, answerDelayMs: number): Promise<DelayProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  };
  const proxy: DelayProxy = { url: "", answerDelayMs, close: async () => undefined };
  const server = net.createServer((client) => {
    const tenant = net.connect(Number(upstream.port), upstream.hostname);
    track(client);
    track(tenant);
    client.pipe(tenant);
    // Equal delays keep the chunks in order (timers of equal length fire in the order they were set).
    const later = (action: () => void) => setTimeout(action, proxy.answerDelayMs);
    tenant.on("data", (chunk) => later(() => client.write(chunk)));
    tenant.on("end", () => later(() => client.end()));
    tenant.on("close", () => later(() => client.destroy()));
    client.on("close", () => tenant.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
