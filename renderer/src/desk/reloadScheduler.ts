// Turns a burst of change notices into one read. One click on "Claim case" alone brings the command's
// answer, two 'outbox.changed' (pending, confirmed), a 'cases.changed' from the answer and another from the
// sync page that follows: read on each and the view loads the same case five times. Here each notice only
// asks for a read; the read starts once the notices have been quiet for `debounceMs` (or `maxWaitMs` after
// the first of them), and never while another read of the same view is on its way: notices that arrive
// during a read are looked at when it has settled, against what it brought.

export interface ReloadSchedulerOptions {
  /** Reads the view again. */
  load(): Promise<unknown>;
  /** Quiet time after the last notice before the read starts. */
  debounceMs: number;
  /** A steady stream of notices still reads at least this often. Default: 4 × debounceMs. */
  maxWaitMs?: number;
  /** Called with true when a read is asked for or on its way, and with false when the view is settled. */
  onBusyChange?(busy: boolean): void;
  /** Timers, replaceable in tests. */
  setTimer?(run: () => void, ms: number): unknown;
  clearTimer?(timer: unknown): void;
  now?(): number;
}

/**
 * Asked at the moment the read would start: does this notice still need one? A notice that a read already
 * answered (the sync page bringing the version the view has) says no.
 */
export type StillNeeded = () => boolean;

export class ReloadScheduler {
  private readonly options: ReloadSchedulerOptions;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly now: () => number;
  private readonly maxWaitMs: number;
  private notices: (StillNeeded | null)[] = [];
  private firstNoticeAt: number | null = null;
  private timer: unknown = null;
  private reading = false;
  /** The timer fired during a read: look at the notices as soon as it settles. */
  private dueAfterRead = false;
  private busy = false;
  private disposed = false;

  constructor(options: ReloadSchedulerOptions) {
    this.options = options;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.now = options.now ?? (() => Date.now());
    this.maxWaitMs = options.maxWaitMs ?? options.debounceMs * 4;
  }

  /** Something changed: a read will follow, shared with every other notice of the same burst. */
  request(stillNeeded: StillNeeded | null = null): void {
    if (this.disposed) return;
    this.notices.push(stillNeeded);
    this.firstNoticeAt ??= this.now();
    const waited = this.now() - this.firstNoticeAt;
    this.restartTimer(Math.max(0, Math.min(this.options.debounceMs, this.maxWaitMs - waited)));
    this.updateBusy();
  }

  /** Reads now (the first load, a "Retry" button): every notice so far is answered by this read. */
  readNow(): void {
    if (this.disposed) return;
    this.notices = [null];
    this.stopTimer();
    if (this.reading) this.dueAfterRead = true;
    else this.flush();
  }

  /** The view is gone: no more reads, and answers still on their way are not waited for. */
  dispose(): void {
    this.disposed = true;
    this.stopTimer();
    this.notices = [];
  }

  private restartTimer(ms: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (this.reading) this.dueAfterRead = true;
      else this.flush();
    }, ms);
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private flush(): void {
    const notices = this.notices;
    this.notices = [];
    this.firstNoticeAt = null;
    this.dueAfterRead = false;
    if (!notices.some((stillNeeded) => stillNeeded === null || stillNeeded())) {
      this.updateBusy();
      return;
    }
    this.reading = true;
    this.updateBusy();
    void this.options
      .load()
      .catch(() => undefined)
      .then(() => {
        this.reading = false;
        if (this.disposed) return;
        // Notices that came during the read wait for their timer, unless it has fired already.
        if (this.dueAfterRead) this.flush();
        else this.updateBusy();
      });
  }

  private updateBusy(): void {
    const busy = this.reading || this.notices.length > 0;
    if (busy === this.busy || this.disposed) return;
    this.busy = busy;
    this.options.onBusyChange?.(busy);
  }
}
