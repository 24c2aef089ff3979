// A small parser of text/event-stream (the WHATWG "server-sent events" format) for the /v1/events pokes:
// fed text in whatever chunks the network delivers, it returns the events completed so far. Comment lines
// (the server's heartbeats) and unknown fields are skipped; a line cut between two chunks waits for the
// rest, and a CRLF cut between its CR and its LF still counts as one line end.

export interface ServerSentEvent {
  /** The `event:` field; "message" when the event had none. */
  event: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

const LINE_END = /\r\n|\r|\n/;

export class SseParser {
  private pending = '';
  /** The last chunk ended in a CR: an LF starting the next one belongs to it. */
  private afterCr = false;
  private event = '';
  private data: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = chunk.endsWith('\r');
    this.pending += chunk;
    const events: ServerSentEvent[] = [];
    for (;;) {
      const match = LINE_END.exec(this.pending);
      if (!match) break;
      const line = this.pending.slice(0, match.index);
      this.pending = this.pending.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return null;
  }

  private dispatch(): ServerSentEvent | null {
    const event =
      this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : null;
    this.event = '';
    this.data = [];
    return event;
  }
}
