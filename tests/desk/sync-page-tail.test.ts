// Where a sync page ends, read from its last bytes (pageTailHint, electron/desk/sync/page-schema.ts): the
// desk asks for the next page on that word while its writer thread still has this one to read. The hint
// must say what the page read whole says, or nothing.
import { describe, expect, it } from 'vitest';
import { pageTailHint, readSyncPage } from '../../electron/desk/sync/page-schema';
import { syntheticCase } from './fixtures/synthetic-cases';

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** A page as the server frames it (feed/changes.ts): the changes, then the cursor, then hasMore. */
const framed = (cursor: number, hasMore: boolean, count = 2) =>
  JSON.stringify({
    changes: Array.from({ length: count }, (_, index) => {
      const data = syntheticCase(index);
      return { seq: cursor - count + index + 1, type: 'case', id: data.id, data };
    }),
    cursor,
    hasMore,
  });

describe('pageTailHint', () => {
  it('says what the page read whole says, for pages as the server frames them', () => {
    for (const [cursor, hasMore] of [
      [2, true],
      [2, false],
      [500, true],
      [100_000, false],
      [Number.MAX_SAFE_INTEGER, true],
    ] as const) {
      const bytes = bytesOf(framed(cursor, hasMore));
      const page = readSyncPage(JSON.parse(new TextDecoder().decode(bytes)));
      expect(pageTailHint(bytes)).toEqual({ cursor: page.cursor, hasMore: page.hasMore });
    }
    expect(pageTailHint(bytesOf('{"changes":[],"cursor":0,"hasMore":false}'))).toEqual({
      cursor: 0,
      hasMore: false,
    });
  });

  it('allows whitespace after the page, and reads a view at the end of a larger buffer by its own end', () => {
    expect(pageTailHint(bytesOf(`${framed(40, true)}\r\n`))).toEqual({ cursor: 40, hasMore: true });
    const inside = bytesOf(`${framed(40, true)}{"changes":[],"cursor":7,"hasMore":false}`);
    const view = inside.subarray(0, inside.length - '{"changes":[],"cursor":7,"hasMore":false}'.length);
    expect(pageTailHint(view)).toEqual({ cursor: 40, hasMore: true });
  });

  it('says nothing of a page that does not end the way the server frames it', () => {
    const endings = [
      '',
      '{}',
      '{"hasMore":true,"cursor":40,"changes":[]}',
      '{"changes":[],"cursor":40,"hasMore":true,"more":1}',
      '{"changes":[],"cursor": 40,"hasMore":true}',
      '{"changes":[],\n  "cursor": 40,\n  "hasMore": true\n}',
      '{"changes":[],"cursor":040,"hasMore":true}',
      '{"changes":[],"cursor":-40,"hasMore":true}',
      '{"changes":[],"cursor":40.5,"hasMore":true}',
      '{"changes":[],"cursor":4e1,"hasMore":true}',
      '{"changes":[],"cursor":12345678901234567,"hasMore":true}',
      '{"changes":[],"cursor":40,"hasMore":"true"}',
      '{"changes":[],"cursor":40,"hasMore":true',
      '{"changes":[],"cursor":40,"hasMore":true}}',
      '{"changes":[],"note":",\\"cursor\\":40,\\"hasMore\\":true}"}',
    ];
    for (const text of endings) expect(pageTailHint(bytesOf(text)), text).toBeNull();
  });

  it('never reads a cursor beyond what a number keeps exactly', () => {
    expect(pageTailHint(bytesOf('{"changes":[],"cursor":9007199254740993,"hasMore":true}'))).toBeNull();
  });
});
