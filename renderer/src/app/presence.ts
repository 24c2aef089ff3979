// The user's presence for the server's idle timeout: reading cached cases makes no server call, so
// without this someone reading a long chat would be signed out as if they had left. Input anywhere in
// the page (keys, pointer, wheel, touch) tells the desk, at most once a minute; the desk passes it on to
// the server at most every few minutes (electron/desk/session.ts, markActive). Nothing is sent while the
// user is away, so a desk left alone still times out.

export const PRESENCE_THROTTLE_MS = 60_000;

const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** Calls `tell` on the user's input, at most once per PRESENCE_THROTTLE_MS. Returns the unsubscribe. */
export function listenForPresence(tell: () => void, now: () => number = Date.now): () => void {
  let toldAt = -Infinity;
  const onInput = () => {
    const at = now();
    if (at - toldAt < PRESENCE_THROTTLE_MS) return;
    toldAt = at;
    tell();
  };
  for (const event of INPUT_EVENTS) window.addEventListener(event, onInput, { capture: true, passive: true });
  return () => {
    for (const event of INPUT_EVENTS) window.removeEventListener(event, onInput, { capture: true });
  };
}
