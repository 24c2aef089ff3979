// Reads the /v1/events stream: each `change` poke is handed on with its cursor. The stream is meant to
// stay open; if nothing at all arrives for `idleMs` (the server beats a heartbeat every 15 s), the
// connection is taken for dead, as a half-open TCP connection would never say so itself.
import type { Readable } from 'node:stream';
import { SseParser } from './sse-parser';

export class StreamIdleError extends Error {
  readonly code = 'stream_idle';
  constructor(idleMs: number) {
    super(`The event stream was silent for ${idleMs} ms.`);
    this.name = 'StreamIdleError';
  }
}

/** The cursor a poke announces, or null for a poke the desk cannot read (it is then ignored). */
export function pokeCursor(data: string): number | null {
  try {
    const cursor = (JSON.parse(data) as { cursor?: unknown }).cursor;
    return typeof cursor === 'number' && Number.isInteger(cursor) && cursor >= 0 ? cursor : null;
  } catch {
    return null;
  }
}

/** Resolves when the server ends the stream; rejects when it fails or goes silent for too long. */
export function readPokes(stream: Readable, onPoke: (cursor: number) => void, idleMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = new SseParser();
    let idle: NodeJS.Timeout;
    const watch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => stream.destroy(new StreamIdleError(idleMs)), idleMs);
    };
    const finish = (error?: Error) => {
      clearTimeout(idle);
      if (error) reject(error);
      else resolve();
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      watch();
      for (const event of parser.push(chunk)) {
        if (event.event !== 'change') continue;
        const cursor = pokeCursor(event.data);
        if (cursor !== null) onPoke(cursor);
      }
    });
    stream.once('end', () => finish());
    stream.once('error', (error) => finish(error));
    // 'close' without 'end' or 'error': destroyed from our side (an abort); nothing more will come.
    stream.once('close', () => finish());
    watch();
  });
}
