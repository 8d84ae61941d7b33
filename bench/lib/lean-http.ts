// The load generator's HTTP client: one keep-alive connection per simulated client, each request
// written in one piece and its answer read by Content-Length. node:http's agent costs about 0.15 ms of
// CPU per request on these 2-core machines, time the server under test and its database then lack;
// pgbench, the ledger's yardstick, drives its server from C at a fraction of that. This client does
// only what the benches need (POST of a JSON body, an answer with Content-Length) and refuses the rest.
import net from 'node:net';

export interface LeanAnswer {
  status: number;
  text: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One persistent HTTP/1.1 connection that sends one request at a time. */
export class LeanConnection {
  private socket: net.Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: LeanAnswer) => void; reject: (e: Error) => void } | undefined;
  private readonly host: string;
  private readonly port: number;
  private readonly fixedHeaders: string;

  constructor(server: { url: string; apiKey: string }) {
    const u = new URL(server.url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.fixedHeaders = `Host: ${u.host}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${server.apiKey}\r\n`;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (err: Error) => {
      if (this.socket === socket) this.socket = undefined;
      this.buffered = Buffer.alloc(0);
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the answer')));
    return socket;
  }

  private parse() {
    const end = this.buffered.indexOf(HEAD_END);
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) {
      this.socket?.destroy(new Error(`answer without Content-Length: ${head.slice(0, 200)}`));
      return;
    }
    const length = Number(m[1]);
    if (this.buffered.length < end + 4 + length) return;
    const text = this.buffered.toString('utf8', end + 4, end + 4 + length);
    this.buffered = this.buffered.subarray(end + 4 + length);
    if (/\r\nconnection:\s*close/i.test(head)) {
      this.socket?.destroy();
      this.socket = undefined;
    }
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ status, text });
  }

  /** POSTs `body` (JSON text) to `route`; one request at a time per connection. */
  post(route: string, body: string): Promise<LeanAnswer> {
    if (this.waiting) return Promise.reject(new Error('one request at a time per connection'));
    if (!this.socket) this.socket = this.connect();
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(`POST ${route} HTTP/1.1\r\n${this.fixedHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close() {
    this.socket?.destroy();
    this.socket = undefined;
  }
}
