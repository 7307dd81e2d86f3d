// How the bench prints: one row per measurement, each process's CPU under it, and with several
// rounds the median of every number (ratios are taken within a round, then their median).

/** One process of a row: its CPU per GB moved, and the floor its work cannot go below. */
export interface ProcessCpu {
  role: string;
  cpuPerGb: number;
  floor?: number;
  /** cpuPerGb ÷ floor. */
  xFloor?: number;
  /** Target for xFloor (printed, not judged). */
  target?: number;
}

export interface Row {
  id: string;
  label: string;
  skipped?: string;
  /** Why the measurement failed this time. */
  failed?: string;
  mbps?: number;
  /** MB/s ÷ the raw TLS file pipe's in the same round (set by the runner). */
  ratio?: number;
  /** Target for ratio (printed, not judged). */
  ratioTarget?: number;
  /** Not a transfer to hold against the file pipe (e.g. a disk write). */
  standalone?: boolean;
  processes?: ProcessCpu[];
  /** Other numbers of the row; with rounds, their medians are what summary and details print. */
  numbers?: Record<string, number>;
  /** Text on the row's line in place of MB/s. */
  summary?: (n: Record<string, number>) => string;
  /** Lines under the row. */
  details?: (n: Record<string, number>) => string[];
}

/** A process's CPU in a row: `cpuS` seconds while `bytes` moved, against `floor` CPU-s/GB. */
export function processCpu(role: string, cpuS: number, bytes: number, floor?: number, target?: number): ProcessCpu {
  const cpuPerGb = cpuS / (bytes / 1e9);
  return {
    role,
    cpuPerGb,
    ...(floor === undefined ? {} : { floor, xFloor: cpuPerGb / floor }),
    ...(target === undefined ? {} : { target }),
  };
}

const LABEL_WIDTH = 36;

/** The lines a row prints. */
export function formatRow(row: Row): string[] {
  const head = `${row.id.padEnd(5)}${row.label.padEnd(LABEL_WIDTH)}`;
  if (row.skipped !== undefined) return [`${head}skipped: ${row.skipped}`];
  if (row.failed !== undefined) return [`${head}failed: ${row.failed}`];
  const numbers = row.numbers ?? {};
  let text = row.summary?.(numbers) ?? '';
  if (row.mbps !== undefined) {
    text = `${row.mbps.toFixed(0).padStart(6)} MB/s${text ? `   ${text}` : ''}`;
    if (row.ratio !== undefined) {
      const target = row.ratioTarget === undefined ? '' : ` (target ≥ ${row.ratioTarget.toFixed(2)})`;
      text += `   ${row.ratio.toFixed(2)} × file pipe${target}`;
    }
  }
  const lines = [`${head}${text}`];
  for (const p of row.processes ?? []) {
    let line = `        ${p.role.padEnd(LABEL_WIDTH - 4)}${p.cpuPerGb.toFixed(2).padStart(6)} CPU-s/GB`;
    if (p.xFloor !== undefined) {
      line += `   ${p.xFloor.toFixed(2)} × floor ${p.floor!.toFixed(2)}`;
      if (p.target !== undefined) line += ` (target ≤ ${p.target.toFixed(1)})`;
    }
    lines.push(line);
  }
  for (const d of row.details?.(numbers) ?? []) lines.push(`        ${d}`);
  return lines;
}

export function printRow(row: Row): void {
  for (const line of formatRow(row)) console.log(line);
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const medianOf = <T>(items: T[], pick: (item: T) => number | undefined): number | undefined => {
  const values = items.map(pick).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : median(values);
};

/** One row per id: the median of each number over the rounds that measured it (else the row as the last round left it). */
export function medianRows(rounds: Row[][]): Row[] {
  const byId = new Map<string, Row[]>();
  for (const row of rounds.flat()) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return [...byId.values()].map((all) => {
    const measured = all.filter((r) => r.skipped === undefined && r.failed === undefined);
    if (measured.length === 0) return all[all.length - 1]!;
    const last = measured[measured.length - 1]!;
    const row: Row = { ...last };
    const mbps = medianOf(measured, (r) => r.mbps);
    const ratio = medianOf(measured, (r) => r.ratio);
    if (mbps !== undefined) row.mbps = mbps;
    if (ratio !== undefined) row.ratio = ratio;
    if (last.numbers) {
      row.numbers = Object.fromEntries(Object.keys(last.numbers).map((k) => [k, medianOf(measured, (r) => r.numbers?.[k])!]));
    }
    const processes = last.processes?.map((p) => {
      const same = measured.map((r) => r.processes?.find((q) => q.role === p.role)).filter((q) => q !== undefined);
      const out: ProcessCpu = { ...p, cpuPerGb: medianOf(same, (q) => q.cpuPerGb)! };
      const floor = medianOf(same, (q) => q.floor);
      const xFloor = medianOf(same, (q) => q.xFloor);
      if (floor !== undefined) out.floor = floor;
      if (xFloor !== undefined) out.xFloor = xFloor;
      return out;
    });
    if (processes) row.processes = processes;
    return row;
  });
}
