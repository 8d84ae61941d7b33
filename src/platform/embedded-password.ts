// A password in front of the embedded database. PGlite trusts whoever connects, and pglite-socket
// listens on 127.0.0.1, where every local user can reach it; so each connection first goes through
// PostgreSQL's own password exchange (protocol 3.0: AuthenticationCleartextPassword, then the client's
// PasswordMessage; cleartext never leaves loopback) and only then reaches PGlite, which answers the
// startup message it was held back.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const PROTOCOL_3 = 196608;

const digest = (b: Buffer) => createHash('sha256').update(b).digest();

function errorResponse(message: string, code: string): Buffer {
  const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

/**
 * Wraps a PGLiteSocketServer's connection handling so that a socket reaches PGlite only after the
 * client proves `password`. The server's own handler is given the socket, paused, with the startup
 * message put back in front of whatever the client sent after.
 */
export function requirePassword(server: object, password: string): void {
  const s = server as { handleConnection(socket: Socket): Promise<void> };
  const handOver = s.handleConnection.bind(server);
  const expected = digest(Buffer.from(password));
  s.handleConnection = async (socket: Socket) => {
    let buf = Buffer.alloc(0);
    let startup: Buffer | undefined;
    // A client that never finishes the exchange does not keep its socket.
    const deadline = setTimeout(() => socket.destroy(), 10_000);
    const refuse = (message: string, code: string) => {
      clearTimeout(deadline);
      socket.removeListener('data', onData);
      socket.end(errorResponse(message, code));
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > 64 * 1024) return refuse('startup too long', '08P01');
      while (buf.length >= 8) {
        if (!startup) {
          const len = buf.readInt32BE(0);
          if (len < 8 || len > 10_000) return refuse('malformed startup message', '08P01');
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          if (len === 8 && code === SSL_REQUEST) {
            socket.write('N');
            buf = buf.subarray(8);
            continue;
          }
          if (code !== PROTOCOL_3) return refuse('unsupported protocol', '08P01');
          startup = buf.subarray(0, len);
          buf = buf.subarray(len);
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5);
          socket.write(ask);
          continue;
        }
        if (buf[0] !== 0x70 /* 'p' */) return refuse('password authentication failed', '28P01');
        const len = buf.readInt32BE(1);
        if (len < 5 || len > 10_000) return refuse('password authentication failed', '28P01');
        if (buf.length < 1 + len) return;
        const given = buf.subarray(5, 1 + len - 1);
        const rest = buf.subarray(1 + len);
        if (!timingSafeEqual(digest(given), expected)) return refuse('password authentication failed', '28P01');
        clearTimeout(deadline);
        socket.pause();
        socket.removeListener('data', onData);
        socket.unshift(Buffer.concat([startup, rest]));
        void handOver(socket);
        socket.resume();
        return;
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  };
}
