// The renderer's NewestNext (renderer/src/desk/newestNext.ts): one request at a time, and of those asked
// for meanwhile only the newest starts, once the one on its way has settled.
import { describe, expect, it } from 'vitest';
import { NewestNext } from '../../renderer/src/desk/newestNext';

/** Requests that stay on their way until the test settles them, with the names of those started. */
function controlledRequests() {
  const started: string[] = [];
  const settles: ((failed: boolean) => void)[] = [];
  const request = (name: string) => () => {
    started.push(name);
    return new Promise<void>((resolve, reject) => settles.push((failed) => (failed ? reject(new Error(name)) : resolve())));
  };
  /** Settles the oldest request on its way and lets NewestNext start the next one. */
  const settle = async (failed = false) => {
    settles.shift()?.(failed);
    await microtasks();
  };
  return { started, request, settle };
}

/** Lets the promise chains NewestNext builds run their turns. */
async function microtasks(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await Promise.resolve();
}

describe('NewestNext', () => {
  it('starts a request at once when nothing is on its way', async () => {
    const { started, request } = controlledRequests();
    new NewestNext().run(request('m'));
    await microtasks();
    expect(started).toEqual(['m']);
  });

  it('while one is on its way, only the newest of those asked for starts, after it has settled', async () => {
    const { started, request, settle } = controlledRequests();
    const requests = new NewestNext();
    requests.run(request('m'));
    await microtasks();
    for (const text of ['ma', 'mar', 'mari', 'maria']) requests.run(request(text));
    await microtasks();
    expect(started).toEqual(['m']);
    await settle();
    expect(started).toEqual(['m', 'maria']);
    await settle();
    expect(started).toEqual(['m', 'maria']);
  });

  it('a request that fails or throws does not stop the next one', async () => {
    const { started, request, settle } = controlledRequests();
    const requests = new NewestNext();
    requests.run(() => {
      throw new Error('before any promise');
    });
    requests.run(request('second'));
    await microtasks();
    expect(started).toEqual(['second']);
    requests.run(request('third'));
    await settle(true);
    expect(started).toEqual(['second', 'third']);
  });

  it('drops the request waiting when asked to, and starts later ones again', async () => {
    const { started, request, settle } = controlledRequests();
    const requests = new NewestNext();
    requests.run(request('first'));
    requests.run(request('gone'));
    requests.dropWaiting();
    await microtasks();
    await settle();
    expect(started).toEqual(['first']);
    requests.run(request('later'));
    await microtasks();
    expect(started).toEqual(['first', 'later']);
  });
});
