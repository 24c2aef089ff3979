// The renderer's ReloadScheduler (renderer/src/desk/reloadScheduler.ts): a burst of change notices costs one
// read, a notice during a read is looked at when it has settled, and one the read already answered costs none.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReloadScheduler } from '../../renderer/src/desk/reloadScheduler';

/** A load that stays on its way until the test settles it. */
function controlledLoad() {
  const settles: (() => void)[] = [];
  const load = vi.fn(() => new Promise<void>((resolve) => settles.push(resolve)));
  return {
    load,
    async settle() {
      settles.shift()?.();
      // Let the scheduler's `.then` run.
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe('ReloadScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-06T03:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads once for a burst of notices, after they have been quiet for debounceMs', async () => {
    const { load } = controlledLoad();
    const scheduler = new ReloadScheduler({ load, debounceMs: 100 });
    scheduler.request();
    await vi.advanceTimersByTimeAsync(60);
    scheduler.request();
    scheduler.request();
    await vi.advanceTimersByTimeAsync(60);
    scheduler.request();
    await vi.advanceTimersByTimeAsync(99);
    expect(load).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('still reads within maxWaitMs of the first notice when notices never stop', async () => {
    const { load } = controlledLoad();
    const scheduler = new ReloadScheduler({ load, debounceMs: 100, maxWaitMs: 300 });
    for (let elapsed = 0; elapsed < 300; elapsed += 50) {
      scheduler.request();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('holds notices that come during a read and reads once more after it, not during it', async () => {
    const { load, settle } = controlledLoad();
    const scheduler = new ReloadScheduler({ load, debounceMs: 100 });
    scheduler.readNow();
    expect(load).toHaveBeenCalledTimes(1);
    scheduler.request();
    scheduler.request();
    await vi.advanceTimersByTimeAsync(500);
    expect(load).toHaveBeenCalledTimes(1);
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
    await settle();
    await vi.advanceTimersByTimeAsync(500);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('asks a notice whether it still needs a read only when the read would start, and skips it if not', async () => {
    const { load, settle } = controlledLoad();
    let shownVersion = 1;
    const scheduler = new ReloadScheduler({
      load: () => load().then(() => void (shownVersion = 2)),
      debounceMs: 100,
    });
    scheduler.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(load).toHaveBeenCalledTimes(1);
    // The sync page with version 2 arrives while the read that brings version 2 is on its way.
    const stillNeeded = vi.fn(() => shownVersion !== 2);
    scheduler.request(stillNeeded);
    await vi.advanceTimersByTimeAsync(100);
    expect(stillNeeded).not.toHaveBeenCalled();
    await settle();
    expect(stillNeeded).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads when any notice of the burst still needs it', async () => {
    const { load } = controlledLoad();
    const scheduler = new ReloadScheduler({ load, debounceMs: 100 });
    scheduler.request(() => false);
    scheduler.request(() => true);
    await vi.advanceTimersByTimeAsync(100);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('says when it is busy: from the first notice until the read it causes has settled', async () => {
    const { load, settle } = controlledLoad();
    const busy: boolean[] = [];
    const scheduler = new ReloadScheduler({ load, debounceMs: 100, onBusyChange: (value) => busy.push(value) });
    scheduler.request();
    scheduler.request();
    expect(busy).toEqual([true]);
    await vi.advanceTimersByTimeAsync(100);
    expect(busy).toEqual([true]);
    await settle();
    expect(busy).toEqual([true, false]);
    scheduler.request(() => false);
    await vi.advanceTimersByTimeAsync(100);
    expect(busy).toEqual([true, false, true, false]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads nothing more once disposed', async () => {
    const { load } = controlledLoad();
    const scheduler = new ReloadScheduler({ load, debounceMs: 100 });
    scheduler.request();
    scheduler.dispose();
    scheduler.request();
    scheduler.readNow();
    await vi.advanceTimersByTimeAsync(1000);
    expect(load).not.toHaveBeenCalled();
  });
});
