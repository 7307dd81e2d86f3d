import { isFinalState, type TransferView } from '../features/files/transfer-events';
import { formatBytes } from '../../src-preload/domain-values';
import { printable } from './printable';

/** Transfers whose shown state is remembered, so a flood of offers cannot grow the CLI's memory. */
const REMEMBERED = 500;

export type TransferNotice = 'offer' | 'update';

/** One JSON line per offer and per update: `file-offer`, `file-progress`, `file-saved`, `file-sent`, `file-ended`. */
export function transferJson(emit: (event: string, data: object) => void, notice: TransferNotice, v: TransferView): void {
  const base = { id: v.id, direction: v.direction, name: v.fileName, size: v.size, ...(v.from ? { from: v.from } : {}) };
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
    state: v.state,
    bytes: v.bytes,
    percent: v.percent,
    bytesPerSecond: v.bytesPerSecond,
    ...(recipients ? { recipients } : {}),
  };
  if (v.state === 'done' && v.direction === 'incoming') return emit('file-saved', { ...detail, path: v.savedPath, sha256: v.sha256 });
  if (v.state === 'done') return emit('file-sent', detail);
  if (isFinalState(v.state)) return emit('file-ended', { ...detail, reason: v.reason, message: v.message });
  emit('file-progress', detail);
}

/**
 * Human lines: offers, each recipient's answer, state changes and a progress line every 10 %.
 * What was already shown is remembered per printer, for the newest transfers only.
 */
export function transferHumanPrinter(line: (text: string) => void, autoAccept: boolean): (notice: TransferNotice, v: TransferView) => void {
  const lastShown = new Map<string, string>();
  const answersShown = new Map<string, Map<string, string>>();
  return (notice, v) => {
    showTransfer(line, notice, v, autoAccept, lastShown, answersShown);
    for (const shown of [lastShown, answersShown]) if (shown.size > REMEMBERED) shown.delete(shown.keys().next().value!);
  };
}

function showTransfer(
  line: (text: string) => void,
  notice: TransferNotice,
  v: TransferView,
  autoAccept: boolean,
  lastShown: Map<string, string>,
  answersShown: Map<string, Map<string, string>>,
): void {
  const name = printable(v.fileName);
  if (notice === 'offer') {
    const how = autoAccept ? 'Accepting it (--accept-files).' : `/accept ${v.id} or /decline ${v.id}`;
    line(`${printable(v.from?.name ?? 'Someone')} offers ${name} (${formatBytes(v.size)}). ${how}`);
    return;
  }
  showAnswers(line, v, name, answersShown);
  const step = `${v.state}:${Math.floor(v.percent / 10)}`;
  if (lastShown.get(v.id) === step) return;
  lastShown.set(v.id, step);
  if (v.state === 'done' && v.direction === 'incoming')
    return line(`Saved ${name} to ${printable(v.savedPath ?? '')} (SHA-256 ${v.sha256}).`);
  if (v.state === 'done')
    return line(
      `Sent ${name}: ${v.recipients?.map((r) => `${printable(r.member.name)} ${r.state}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}.`,
    );
  if (isFinalState(v.state)) return line(`${name}: ${v.message ?? v.state}`);
  if (v.state === 'offered')
    return line(`Offered ${name} to ${v.recipients?.map((r) => printable(r.member.name)).join(', ')} (id ${v.id}).`);
  line(`${v.direction === 'incoming' ? 'Receiving' : 'Sending'} ${name}: ${v.percent.toFixed(0)} % at ${formatBytes(v.bytesPerSecond)}/s`);
}

/** Tells the sender once about each recipient's yes or no, as it comes. */
function showAnswers(line: (text: string) => void, v: TransferView, name: string, answersShown: Map<string, Map<string, string>>): void {
  const shown = answersShown.get(v.id) ?? new Map<string, string>();
  answersShown.set(v.id, shown);
  for (const r of v.recipients ?? []) {
    const before = shown.get(r.member.id);
    shown.set(r.member.id, r.state);
    if (before === 'waiting' && r.state === 'accepted') line(`${printable(r.member.name)} accepted ${name}.`);
    if (before === 'waiting' && r.state === 'declined') line(`${printable(r.member.name)} declined ${name}.`);
  }
}
