import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { PortholeError } from '../../wire/errors';
import { defaultDownloadDir } from './download-folder';
import { Files1Member } from './files1-member';
import type { TransferEvents, TransferView } from './transfer-events';
import { Files2Member } from './v2/files2-member';
import { cleanStalePartials } from './v2/incoming/incoming-offers';

export interface FileTransferOptions {
  /** Where accepted files are saved unless accept() names another folder; default ~/Downloads/Porthole. */
  downloadDir?: string | undefined;
  /** Accept every offer at once (the CLI's --accept-files). */
  autoAccept?: boolean | undefined;
  /**
   * The secret files/2 offer keys are made with. Kept across restarts, the same unchanged files
   * offered again get the same key and recipients resume what they kept; default: new each time.
   */
  keySecret?: Buffer | undefined;
  /**
   * false: this member speaks only files/1 — room-features.ts then leaves files/2 out of the
   * features it announces (tests of files/1, comparisons). Default: both.
   */
  files2?: boolean | undefined;
}

/**
 * One member's file transfers, what the CLI and the window use: offers, answers, cancels and
 * the events a person sees, over whichever protocol the room's host speaks. Holds the two
 * member sides the room registers — `v1` (files/1, PROTOCOL.md §9) and `v2` (files/2, §11) —
 * and merges their events and lists. Offers go by files/2 when the host speaks it; otherwise by
 * files/1, one file per offer (a folder cannot go that way).
 */
export class FileTransfers extends EventEmitter<TransferEvents> {
  readonly v1: Files1Member;
  readonly v2: Files2Member;
  /** Stale kept data removed from the download folder at start; see stopped(). */
  private readonly cleaned: Promise<unknown>;
  /** When each transfer was first seen (by direction and id), so list() is newest last across both sides. */
  private readonly order = new Map<string, number>();
  private seen = 0;

  constructor(private readonly options: FileTransferOptions = {}) {
    super();
    this.v1 = new Files1Member(options);
    this.v2 = new Files2Member({ ...options, legacyOffer: (path, memberId) => this.v1.offer(path, { to: memberId }) });
    for (const side of [this.v1, this.v2]) {
      side.on('offer', (view) => this.emit('offer', this.noted(view)));
      side.on('update', (view) => this.emit('update', this.noted(view)));
    }
    this.cleaned = this.cleanPartials();
  }

  /**
   * Offers files and folders, to the room or to the members named: ONE item (a bundle when
   * several paths or a folder). Resolves with its id: the host's number, or 'q1', 'q2'… while it
   * waits here for the room to take more offers (an update with `was` says when it is numbered).
   * A host that speaks only files/1 gets one offer per file and per member named (the first one's
   * id is returned) and no folders. A single path or member may be given as a string.
   */
  async offer(paths: string | readonly string[], options: { to?: string | readonly string[] | undefined } = {}): Promise<string> {
    const named = typeof paths === 'string' ? [paths] : [...paths];
    const to = options.to === undefined ? undefined : typeof options.to === 'string' ? [options.to] : [...options.to];
    if (named.length === 0) throw new PortholeError('file-unreadable', 'Name at least one file or folder to send.');
    if (this.v2.connected()) return this.v2.offer(named, to ? { to } : {});
    return this.offerByFiles1(named, to);
  }

  /** Accepts an offer; it is saved in `downloadDir` or the default folder. */
  async accept(id: string, downloadDir?: string): Promise<void> {
    if (this.v2.has(id)) return this.v2.accept(id, downloadDir);
    return this.v1.accept(id, downloadDir);
  }

  decline(id: string): void {
    if (this.v2.has(id)) this.v2.decline(id);
    else this.v1.decline(id);
  }

  /** Cancels an incoming or outgoing transfer from this side (a queued offer leaves the queue). */
  cancel(id: string): void {
    if (this.v2.has(id)) this.v2.cancel(id);
    else this.v1.cancel(id);
  }

  /**
   * Tries a transfer again: an incoming one accepts again from what was kept, an outgoing one is
   * offered again (the same key when its files did not change). files/1 transfers cannot be.
   */
  async retry(id: string): Promise<void> {
    if (this.v2.has(id)) return this.v2.retry(id);
    if (this.v1.has(id))
      throw new PortholeError(
        'file-refused',
        'This transfer used the older way of sending files, which cannot resume; send the file again.',
      );
  }

  /** Forgets finished transfers; returns their ids. */
  clearFinished(): string[] {
    const gone = [...this.v1.clearFinished(), ...this.v2.clearFinished()];
    const still = new Set(this.list().map((v) => key(v)));
    for (const k of [...this.order.keys()]) if (!still.has(k)) this.order.delete(k);
    return gone;
  }

  /** Every transfer of both versions, newest last. */
  list(): TransferView[] {
    const all = [...this.v1.list(), ...this.v2.list()];
    const rank = (v: TransferView) => this.order.get(key(v)) ?? Number.MAX_SAFE_INTEGER;
    return all
      .map((view, i) => ({ view, i }))
      .sort((a, b) => rank(a.view) - rank(b.view) || a.i - b.i)
      .map(({ view }) => view);
  }

  /** Resolves once both sides left nothing behind (partial files closed or removed) and the start's clean-up is done. */
  async stopped(): Promise<void> {
    await Promise.all([this.cleaned, this.v1.stopped(), this.v2.stopped()]);
  }

  private async offerByFiles1(paths: string[], to: string[] | undefined): Promise<string> {
    if (this.v1.connected()) {
      for (const path of paths) {
        const info = await stat(path).catch(() => undefined);
        if (info?.isDirectory())
          throw new PortholeError(
            'file-unreadable',
            'This room’s host has an older Porthole that cannot take folders; send the files one by one.',
          );
      }
    }
    const ids: string[] = [];
    for (const path of paths) for (const member of to ?? [undefined]) ids.push(await this.v1.offer(path, member ? { to: member } : {}));
    return ids[0]!;
  }

  /** Keeps the order a transfer was first seen in, across a change of id. */
  private noted(view: TransferView): TransferView {
    const k = key(view);
    if (!this.order.has(k)) {
      const before = view.was === undefined ? undefined : this.order.get(`${view.direction}:${view.was}`);
      if (view.was !== undefined) this.order.delete(`${view.direction}:${view.was}`);
      this.order.set(k, before ?? ++this.seen);
    }
    return view;
  }

  private async cleanPartials(): Promise<void> {
    try {
      await cleanStalePartials(this.options.downloadDir ?? (await defaultDownloadDir()));
    } catch {
      // Nothing kept there, or the folder cannot be read: nothing to clean.
    }
  }
}

const key = (view: TransferView) => `${view.direction}:${view.id}`;
