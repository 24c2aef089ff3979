// Small measuring helpers: every figure is reported beside a baseline measured in the same run, because
// this machine is small and noisy and absolute numbers mean little on their own.

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface Comparison {
  benchmark: string;
  figure: Figure;
  baseline: Figure;
  /** figure / baseline, so a reader sees how far from the floor we are. */
  ratio: number;
  notes?: string;
}

export function compare(benchmark: string, figure: Figure, baseline: Figure, notes?: string): Comparison {
  return {
    benchmark,
    figure: { ...figure, value: round(figure.value) },
    baseline: { ...baseline, value: round(baseline.value) },
    ratio: round(figure.value / baseline.value, 3),
    ...(notes ? { notes } : {}),
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
