// One request at a time, the newest next. Typing "maria" in the search box asks for "m" at once; while the
// desk answers it, "ma", "mar", "mari" and "maria" each take the place of the one before, and only "maria"
// is sent when "m" has settled. Sending all five would make the desk answer them one after the other,
// holding up the only one still wanted. Whoever runs a request drops the answers it no longer wants; this
// only decides when requests start.

export type Request = () => Promise<unknown>;

export class NewestNext {
  private running = false;
  private waiting: Request | null = null;

  /** Starts `request` now if nothing is on its way; otherwise it waits, replacing any request waiting. */
  run(request: Request): void {
    if (this.running) this.waiting = request;
    else this.start(request);
  }

  /** The request waiting is no longer wanted (its screen is gone); the one on its way still settles. */
  dropWaiting(): void {
    this.waiting = null;
  }

  private start(request: Request): void {
    this.running = true;
    // A request that throws before returning its promise settles like one that rejects.
    void Promise.resolve()
      .then(request)
      .catch(() => undefined)
      .then(() => {
        this.running = false;
        const next = this.waiting;
        this.waiting = null;
        if (next) this.start(next);
      });
  }
}
