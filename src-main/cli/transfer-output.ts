import { isFinalState, reasonSentence, secondsLeft, type TransferView } from '../features/files/transfer-events';
import { contentsWords, formatBytes, formatDuration } from '../../src-preload/domain-values';
import { printable } from './printable';

/** Transfers whose shown state is remembered, so a flood of offers cannot grow the CLI's memory. */
const REMEMBERED = 500;

/** At a terminal, the progress line is drawn again at most this often. */
export const STATUS_EVERY_MS = 250;

/** Without a terminal, a progress line per transfer at most this often (and only when another 10 % is done). */
export const PLAIN_PROGRESS_EVERY_MS = 3000;

export type TransferNotice = 'offer' | 'update';

/** One JSON line per offer and per update: `file-offer`, `file-progress`, `file-saved`, `file-sent`, `file-ended`. */
export function transferJson(emit: (event: string, data: object) => void, notice: TransferNotice, v: TransferView): void {
  const base = {
    id: v.id,
    direction: v.direction,
    name: v.fileName,
    size: v.size,
    ...(v.files !== undefined ? { files: v.files } : {}),
    ...(v.from ? { from: v.from } : {}),
    ...(v.to ? { to: v.to } : {}),
  };
  if (notice === 'offer') return emit('file-offer', base);
  const recipients = v.recipients?.map((r) => ({
    member: r.member,
    state: r.state,
    bytes: r.bytes,
    percent: r.percent,
    ...(r.reason ? { reason: r.reason } : {}),
  }));
  const detail = {
    ...base,
    ...(v.was !== undefined ? { was: v.was } : {}),
    state: v.state,
    bytes: v.bytes,
    percent: v.percent,
    bytesPerSecond: v.bytesPerSecond,
    ...(v.secondsLeft !== undefined ? { secondsLeft: v.secondsLeft } : {}),
    ...(v.retryable ? { retryable: true } : {}),
    ...(recipients ? { recipients } : {}),
  };
  if (v.state === 'done' && v.direction === 'incoming') return emit('file-saved', { ...detail, path: v.savedPath, sha256: v.sha256 });
  if (v.state === 'done') return emit('file-sent', detail);
  if (isFinalState(v.state)) return emit('file-ended', { ...detail, reason: v.reason, message: v.message });
  emit('file-progress', { ...detail, ...(v.reason ? { reason: v.reason } : {}), ...(v.message ? { message: v.message } : {}) });
}

/** "Holiday (312 files, 2.1 GB)", "photo.jpg (4.2 MB)": what a transfer is, for a line. */
export const itemWords = (v: Pick<TransferView, 'fileName' | 'size' | 'files'>): string => `${printable(v.fileName)} (${contentsWords(v)})`;

/** Whether data of the transfer is moving now. */
const moving = (v: TransferView) => v.state === 'sending' || v.state === 'receiving';

/** How far a transfer is: "42 % of 2.1 GB · 3.1 MB/s · 1 min 20 s left"; the speed and the time left only while known. */
export function progressFigures(v: TransferView): string {
  const percent = Math.min(100, Math.max(0, Math.floor(Number.isFinite(v.percent) ? v.percent : 0)));
  const parts = [`${percent} % of ${formatBytes(v.size)}`];
  if (v.bytesPerSecond > 0) parts.push(`${formatBytes(v.bytesPerSecond)}/s`);
  const left = v.secondsLeft ?? secondsLeft(v.size - v.bytes, v.bytesPerSecond);
  if (left !== undefined && v.bytesPerSecond > 0) parts.push(`${formatDuration(left)} left`);
  return parts.join(' · ');
}

/** A transfer's progress in one line: "Sending Holiday: 42 % of 2.1 GB · 3.1 MB/s · 1 min 20 s left". */
export const progressLine = (v: TransferView): string =>
  `${v.direction === 'incoming' ? 'Receiving' : 'Sending'} ${printable(v.fileName)}: ${progressFigures(v)}`;

export interface TransferPrinterOptions {
  autoAccept: boolean;
  /**
   * A terminal's status line (PromptTerminal.transient): progress is drawn there in place, at most
   * every 250 ms, instead of as lines. Absent (a pipe, a file): a plain line per 10 %, at most every 3 s.
   */
  status?: ((text: string) => void) | undefined;
  /** The clock and timer, for tests. */
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
}

const realTimer = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  timer.unref?.();
  return { cancel: () => clearTimeout(timer) };
};

/**
 * Human lines: offers, each recipient's answer, state changes, and progress (see
 * TransferPrinterOptions.status). What was already shown is remembered per printer, for the
 * newest transfers only.
 */
export function transferHumanPrinter(
  line: (text: string) => void,
  options: TransferPrinterOptions,
): (notice: TransferNotice, v: TransferView) => void {
  const now = options.now ?? Date.now;
  const lastShown = new Map<string, string>();
  const answersShown = new Map<string, Map<string, string>>();
  /** Own offers already announced: one that is 'offered' again (nobody receiving for a moment) is not announced twice. */
  const announced = new Map<string, true>();
  const progress = plainProgress(line, now);
  const status = options.status ? statusLine(options.status, now, options.setTimer ?? realTimer) : undefined;
  return (notice, v) => {
    if (v.was !== undefined) {
      // The queued entry became this one: it is off the status line, and the new id is told afresh.
      for (const shown of [lastShown, answersShown, announced]) shown.delete(v.was);
      status?.forget(v.was);
    }
    showTransfer(line, notice, v, options.autoAccept, { lastShown, answersShown, announced });
    if (notice === 'update') {
      if (status) status.show(v);
      else if (moving(v)) progress(v);
    }
    for (const shown of [lastShown, answersShown, announced]) if (shown.size > REMEMBERED) shown.delete(shown.keys().next().value!);
  };
}

/** What a printer already said, per transfer id. */
interface Shown {
  lastShown: Map<string, string>;
  answersShown: Map<string, Map<string, string>>;
  announced: Map<string, true>;
}

/** Without a terminal: a progress line when another 10 % is done, and at most every few seconds per transfer. */
function plainProgress(line: (text: string) => void, now: () => number) {
  const shown = new Map<string, { step: number; at: number }>();
  return (v: TransferView) => {
    const step = Math.floor(v.percent / 10);
    const last = shown.get(v.id);
    if (last && (last.step === step || now() - last.at < PLAIN_PROGRESS_EVERY_MS)) return;
    shown.delete(v.id); // kept in the order shown, so the oldest go first
    shown.set(v.id, { step, at: now() });
    if (shown.size > REMEMBERED) shown.delete(shown.keys().next().value!);
    line(progressLine(v));
  };
}

/** At a terminal: one status line with every moving transfer's progress, redrawn at most every 250 ms. */
function statusLine(draw: (text: string) => void, now: () => number, setTimer: NonNullable<TransferPrinterOptions['setTimer']>) {
  const running = new Map<string, TransferView>();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn = '';
  let timer: { cancel(): void } | undefined;
  const redraw = () => {
    timer?.cancel();
    timer = undefined;
    drawnAt = now();
    const text = [...running.values()].map(progressLine).join(' | ');
    if (text === drawn) return;
    drawn = text;
    draw(text);
  };
  const soon = () => {
    const wait = drawnAt + STATUS_EVERY_MS - now();
    if (wait <= 0) redraw();
    else timer ??= setTimer(redraw, wait);
  };
  return {
    show(v: TransferView) {
      if (moving(v)) {
        running.set(v.id, v);
        return soon();
      }
      // No longer moving: off the line at once (its own line says what became of it).
      if (running.delete(v.id)) redraw();
    },
    forget(id: string) {
      if (running.delete(id)) redraw();
    },
  };
}

function showTransfer(
  line: (text: string) => void,
  notice: TransferNotice,
  v: TransferView,
  autoAccept: boolean,
  { lastShown, answersShown, announced }: Shown,
): void {
  const item = itemWords(v);
  const name = printable(v.fileName);
  if (notice === 'offer') {
    const how = autoAccept ? 'Accepting it (--accept-files).' : `/accept ${v.id} or /decline ${v.id}`;
    line(`${printable(v.from?.name ?? 'Someone')} offers ${item}. ${how}`);
    return;
  }
  showAnswers(line, v, name, answersShown);
  // Progress has its own line (or the status line); here each state once.
  if (lastShown.get(v.id) === v.state) return;
  lastShown.set(v.id, v.state);
  const retry = v.retryable ? ` /retry ${v.id} tries again.` : '';
  switch (v.state) {
    case 'queued':
      return line(`Queued ${item}: it is offered as soon as earlier offers of yours end (id ${v.id}).`);
    case 'offered':
      // An incoming offer said it itself; an own offer is announced once.
      if (v.direction === 'incoming' || announced.has(v.id)) return;
      announced.set(v.id, true);
      return line(`Offered ${item} ${recipientsWords(v)} (id ${v.id}${v.was ? `, was ${v.was}` : ''}).`);
    case 'sending':
    case 'receiving':
      return;
    case 'paused': {
      const why = v.message ?? (v.reason ? reasonSentence(v.reason) : 'The connection was interrupted.');
      const next = v.retryable ? `/retry ${v.id} resumes it.` : 'It continues on its own when it can.';
      return line(`${name} paused at ${Math.floor(v.percent)} %: ${why} ${next}`);
    }
    case 'done':
      if (v.direction === 'incoming')
        return line(`Saved ${item} to ${printable(v.savedPath ?? '')}${v.sha256 ? ` (SHA-256 ${v.sha256})` : ''}.`);
      return line(`Sent ${item}: ${(v.recipients ?? []).map((r) => `${printable(r.member.name)} ${recipientWords(r)}`).join(', ')}.`);
    default:
      return line(`${name}: ${v.message ?? (v.reason ? reasonSentence(v.reason) : v.state)}${retry}`);
  }
}

/** "to everyone", "to Bo, Cy". */
const recipientsWords = (v: TransferView) =>
  v.to && v.to.length > 0 ? `to ${v.to.map((p) => printable(p.name)).join(', ')}` : 'to everyone';

/** One recipient's state in a word or two: "waiting", "receiving 42 %", "paused 40 %", "has it", "declined", "failed (disk-full)". */
export function recipientWords(r: NonNullable<TransferView['recipients']>[number]): string {
  switch (r.state) {
    case 'waiting':
      return 'waiting';
    case 'accepted':
      return `receiving ${Math.floor(r.percent)} %`;
    case 'paused':
      return `paused ${Math.floor(r.percent)} %`;
    case 'done':
      return 'has it';
    case 'declined':
      return 'declined';
    case 'ended':
      return r.reason === 'cancelled' ? 'cancelled' : `failed${r.reason ? ` (${r.reason})` : ''}`;
  }
}

/** Tells the sender once about each recipient's answer and end, as it comes. */
function showAnswers(line: (text: string) => void, v: TransferView, name: string, answersShown: Map<string, Map<string, string>>): void {
  const shown = answersShown.get(v.id) ?? new Map<string, string>();
  answersShown.set(v.id, shown);
  for (const r of v.recipients ?? []) {
    const before = shown.get(r.member.id);
    shown.set(r.member.id, r.state);
    if (before === undefined || before === r.state) continue;
    const who = printable(r.member.name);
    if (r.state === 'accepted') line(`${who} ${before === 'paused' ? 'resumed' : 'accepted'} ${name}.`);
    else if (r.state === 'declined') line(`${who} declined ${name}.`);
    else if (r.state === 'paused') line(`${who} paused at ${Math.floor(r.percent)} % of ${name}${r.reason ? ` (${r.reason})` : ''}.`);
    else if (r.state === 'ended') line(`${who} stopped receiving ${name}${r.reason ? `: ${reasonSentence(r.reason)}` : '.'}`);
    else if (r.state === 'done' && v.state !== 'done') line(`${who} has ${name}.`);
  }
}
