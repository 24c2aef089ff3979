// Small measuring helpers: every figure is reported beside a baseline measured in the same run, because
// this machine is small and noisy and absolute numbers mean little on their own.

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/**
 * What an issue asks of a figure (issue #13's targets): the figure/baseline ratio at least or at most a
 * value, or the figure itself at most a value in its unit. The summary prints it with whether it is met.
 */
export type Target =
  | { kind: 'ratio-at-least'; value: number; text: string }
  | { kind: 'ratio-at-most'; value: number; text: string }
  | { kind: 'figure-at-most'; value: number; text: string };

export const ratioAtLeast = (value: number, text: string): Target => ({ kind: 'ratio-at-least', value, text });
export const ratioAtMost = (value: number, text: string): Target => ({ kind: 'ratio-at-most', value, text });
export const figureAtMost = (value: number, text: string): Target => ({ kind: 'figure-at-most', value, text });

export interface Comparison {
  benchmark: string;
  figure: Figure;
  baseline: Figure;
  /** figure / baseline, so a reader sees how far from the floor we are. */
  ratio: number;
  notes?: string;
  target?: { text: string; met: boolean };
}

export function isMet(target: Target, figure: number, ratio: number): boolean {
  switch (target.kind) {
    case 'ratio-at-least':
      return ratio >= target.value;
    case 'ratio-at-most':
      return ratio <= target.value;
    case 'figure-at-most':
      return figure <= target.value;
  }
}

export function compare(
  benchmark: string,
  figure: Figure,
  baseline: Figure,
  notes?: string,
  target?: Target,
): Comparison {
  const ratio = figure.value / baseline.value;
  return {
    benchmark,
    figure: { ...figure, value: round(figure.value) },
    baseline: { ...baseline, value: round(baseline.value) },
    ratio: round(ratio, 3),
    ...(notes ? { notes } : {}),
    ...(target ? { target: { text: target.text, met: isMet(target, figure.value, ratio) } } : {}),
  };
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Runs `work` and returns seconds elapsed. */
export async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
