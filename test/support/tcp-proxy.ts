import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on a free local port forwarding to a server (PostgreSQL, Redis), to put a network fault between
 * a service node and that server:
 * - `cut()`: every open connection is reset and new ones are dropped at once (the server went away);
 * - `stall()`: connections stay open but nothing passes either way, new ones are accepted and never answered
 *   (a partition: packets vanish, nothing is refused);
 * - `restore()`: new connections are forwarded again; stalled ones carry on where they stopped.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  private mode: 'open' | 'cut' | 'stall' = 'open';
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** The local ports of the proxy's connections to the server, as the server sees its clients. */
  upstreamPorts(): number[] {
    return [...this.pairs].flatMap((p) => (p.upstream?.localPort ? [p.upstream.localPort] : []));
  }

  cut(): void {
    this.mode = 'cut';
    for (const p of this.pairs) this.destroy(p);
  }

  stall(): void {
    this.mode = 'stall';
    for (const p of this.pairs) {
      p.client.unpipe();
      p.upstream?.unpipe();
      p.client.pause();
      p.upstream?.pause();
    }
  }

  restore(): void {
    this.mode = 'open';
    for (const p of this.pairs) {
      if (!p.upstream) this.connect(p);
      else this.link(p.client, p.upstream);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pairs) this.destroy(p);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const pair = { client, upstream: null as Socket | null };
    this.pairs.add(pair);
    client.on('error', () => this.destroy(pair));
    client.on('close', () => this.destroy(pair));
    if (this.mode === 'stall') client.pause();
    else this.connect(pair);
  }

  private connect(pair: { client: Socket; upstream: Socket | null }): void {
    const upstream = createConnection({ port: this.targetPort, host: this.targetHost });
    pair.upstream = upstream;
    upstream.on('error', () => this.destroy(pair));
    upstream.on('close', () => this.destroy(pair));
    this.link(pair.client, upstream);
  }

  /** While stalled the sockets are unpiped and paused: the data waits in their buffers, as on a link that carries nothing. */
  private link(client: Socket, upstream: Socket): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private destroy(pair: { client: Socket; upstream: Socket | null }): void {
    if (!this.pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}
