// A WebSocket client for integration tests that waits for the frame a test expects: the inbox's
// agent feed and web chat, and the widget's survey pop-in, speak JSON frames over one socket.
import WebSocket from 'ws';

export class Socket {
  readonly frames: any[] = [];
  private waiters: { pred: (f: any) => boolean; resolve: (f: any) => void }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => (w.pred(f) ? (w.resolve(f), false) : true));
    });
  }
  static open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
    const ws = new WebSocket(url, { headers });
    const s = new Socket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(s));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }
  /** The first frame pred matches; on a timeout, the error also says what explain() finds (the state behind the frame). */
  next(pred: (f: any) => boolean, timeoutMs = 15_000, explain?: () => Promise<unknown>): Promise<any> {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(async () => {
        const state = explain ? await explain().then(JSON.stringify, (err: Error) => `unexplained: ${err.message}`) : '';
        reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((x) => x.type))}${state ? `; ${state}` : ''}`));
      }, timeoutMs);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(t);
          resolve(f);
        },
      });
    });
  }
  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }
  close() {
    this.ws.close();
  }
}
