// The text/event-stream parser behind the /v1/events pokes: events split across chunks anywhere, CRLF
// and CR line ends, comments (heartbeats), multi-line data, and pokes the desk cannot read.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pokeCursor, readPokes, StreamIdleError } from '../../electron/desk/sync/event-stream';
import { SseParser } from '../../electron/desk/sync/sse-parser';

const STREAM =
  ': connected\n\nevent: change\ndata: {"cursor":7}\n\n: heartbeat\n\nevent: change\ndata: {"cursor":9}\n\n';

describe('SseParser', () => {
  it('reads the server stream whole', () => {
    expect(new SseParser().push(STREAM)).toEqual([
      { event: 'change', data: '{"cursor":7}' },
      { event: 'change', data: '{"cursor":9}' },
    ]);
  });

  it('gives the same events however the stream is cut, one character at a time included', () => {
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const parser = new SseParser();
      const events = [];
      for (let at = 0; at < STREAM.length; at += size)
        events.push(...parser.push(STREAM.slice(at, at + size)));
      expect(events.map((event) => event.data)).toEqual(['{"cursor":7}', '{"cursor":9}']);
    }
  });

  it('accepts CRLF and CR line ends, a CRLF cut between its two halves included', () => {
    const parser = new SseParser();
    expect(parser.push('event: change\r\ndata: a\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([{ event: 'change', data: 'a' }]);
    expect(parser.push('data: b\r\r')).toEqual([{ event: 'message', data: 'b' }]);
  });

  it('joins data lines, takes "field:value" without a space, and skips unknown fields and empty events', () => {
    const parser = new SseParser();
    expect(
      parser.push('id: 3\nretry: 10\nevent:change\ndata:one\ndata: two\n\n\n\nevent: lonely\n\n'),
    ).toEqual([{ event: 'change', data: 'one\ntwo' }]);
  });
});

describe('pokes', () => {
  it('carry a non-negative integer cursor, or are ignored', () => {
    expect(pokeCursor('{"cursor":12}')).toBe(12);
    for (const data of ['', 'nope', '{"cursor":-1}', '{"cursor":1.5}', '{"cursor":"3"}', '{}', 'null']) {
      expect(pokeCursor(data)).toBeNull();
    }
  });

  it('are handed on as they arrive, until the stream ends', async () => {
    const stream = new PassThrough();
    const cursors: number[] = [];
    const done = readPokes(stream, (cursor) => cursors.push(cursor), 60_000);
    stream.write('event: change\ndata: {"cursor":4}\n');
    stream.write('\nevent: change\ndata: oops\n\n: heartbeat\n\nevent: other\ndata: {"cursor":99}\n\n');
    stream.end('event: change\ndata: {"cursor":5}\n\n');
    await done;
    expect(cursors).toEqual([4, 5]);
  });

  it('give up on a stream that goes silent', async () => {
    const stream = new PassThrough();
    const done = readPokes(stream, () => {}, 20);
    stream.write(': connected\n\n');
    await expect(done).rejects.toBeInstanceOf(StreamIdleError);
  });
});
