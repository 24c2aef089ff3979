// The renderer's side of presence (renderer/src/app/presence.ts): input tells the desk at most once per
// PRESENCE_THROTTLE_MS, and nothing is told without input or after unsubscribing. `window` is a plain
// EventTarget here: the listener only needs the events' names.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { listenForPresence, PRESENCE_THROTTLE_MS } from '../../renderer/src/app/presence';

const globals = globalThis as { window?: unknown };
let now = 0;
let told = 0;

beforeEach(() => {
  globals.window = new EventTarget();
  now = 1_000_000;
  told = 0;
});
afterEach(() => delete globals.window);

const input = (type: string) => (globals.window as EventTarget).dispatchEvent(new Event(type));

it('tells on keys, pointer, wheel and touch, once per interval, and stops when unsubscribed', () => {
  const stop = listenForPresence(() => told++, () => now);
  expect(told).toBe(0);

  input('keydown');
  input('pointerdown');
  input('wheel');
  expect(told).toBe(1);

  now += PRESENCE_THROTTLE_MS - 1;
  input('touchstart');
  expect(told).toBe(1);
  now += 1;
  input('touchstart');
  expect(told).toBe(2);

  input('mousemove');
  now += PRESENCE_THROTTLE_MS;
  input('focus');
  expect(told).toBe(2);

  stop();
  now += PRESENCE_THROTTLE_MS;
  input('keydown');
  expect(told).toBe(2);
});
