import type { Files2EndReason, RecipientWireState } from '../files2-messages';
import type { HubPort } from './hub-port';
import { MAX_UNWRITTEN_BYTES } from '../files2-frames';

/**
 * No stream's window goes past this: a recipient refuses data more than MAX_UNWRITTEN_BYTES
 * (32 MiB) past what it has written, and its acks trail its writes by up to a 1 MiB step (at a
 * 64 MiB window, a recipient whose disk fell behind refused the stream with bad-data).
 */
export const WINDOW_LIMIT_BYTES = MAX_UNWRITTEN_BYTES - 4 * 1024 * 1024;

/** The files/2 hub's limits and timings (PROTOCOL.md §11). */
export interface Files2Policy {
  /** A recipient owing an ack this long is taken off its stream (`stalled`). */
  stallTimeoutMs: number;
  /** A stream whose sender has unused credit and sends nothing this long ends for its recipients (`stalled`). */
  senderStallMs: number;
  /** A shared stream waiting this long on one recipient while another is ahead moves that one to a stream of its own. */
  lagSplitMs: number;
  /** A room offer with nobody receiving closes after this long without activity. */
  openMs: number;
  /** A sender whose connection broke has this long to come back before its offers close. */
  awayMs: number;
  /** A young stream keeps its frames this long, so recipients accepting just after share it. */
  joinMs: number;
  /** …and at most this many bytes of them. */
  joinBytes: number;
  /** Per stream: how far the sender may be ahead of the stream's slowest ack, to start with. */
  windowBytes: number;
  /**
   * …and at most, once grown: a stream whose sender uses all its credit while its slowest
   * recipient has nothing waiting at the host (the bytes are on the way, not here: a long round
   * trip) gets half as much again, up to this.
   */
  maxWindowBytes: number;
  /** Per sender, across its streams: granted and not yet acked. */
  senderBudgetBytes: number;
  /** Across the room: what streams' windows grew beyond windowBytes, together. */
  roomGrowthBytes: number;
  /** Across the room: bytes young streams keep for joiners. */
  roomJoinBytes: number;
  maxOffers: number;
  maxOffersPerSender: number;
}

export const DEFAULT_FILES2_POLICY: Files2Policy = {
  stallTimeoutMs: 30_000,
  senderStallMs: 30_000,
  lagSplitMs: 1_000,
  openMs: 10 * 60_000,
  awayMs: 2 * 60_000,
  joinMs: 5_000,
  joinBytes: 8 * 1024 * 1024,
  windowBytes: 8 * 1024 * 1024,
  maxWindowBytes: WINDOW_LIMIT_BYTES,
  senderBudgetBytes: 96 * 1024 * 1024,
  roomGrowthBytes: 256 * 1024 * 1024,
  roomJoinBytes: 64 * 1024 * 1024,
  maxOffers: 256,
  maxOffersPerSender: 16,
};

/** Credit is re-granted in steps of this much, so the sender is not told about every frame. */
export const CREDIT_STEP = 1024 * 1024;
/** Progress to the sender at most this often per recipient. */
export const PROGRESS_EVERY_MS = 250;

/** One member an offer is for, as the host tracks it. */
export interface HubRecipient {
  readonly memberId: string;
  /** Its connection now; undefined while it is away. */
  port: HubPort | undefined;
  state: RecipientWireState;
  reason?: Files2EndReason | undefined;
  /** The stream it reads now, while receiving. */
  stream: HubStream | undefined;
  /** Every stream it was given since it last accepted (a lag split adds one): their queued frames are its. */
  streamIds: Set<number>;
  /** Offset it acked (data on its disk). */
  acked: number;
  /** Offset up to which frames went out to its connection. */
  delivered: number;
  /** When it last made progress (or last owed nothing). */
  lastProgressAt: number;
  reportedAt: number;
}

/** One stream: the sender sending the data from `from`, forwarded to each of its recipients. */
export interface HubStream {
  readonly id: number;
  readonly offer: HubOffer;
  readonly from: number;
  /** The next offset the sender must send. */
  position: number;
  /** The sender may send up to here; -1 before the first grant. */
  credit: number;
  readonly recipients: Set<HubRecipient>;
  /** Every frame so far, while the stream is young enough for others to join; undefined after. */
  head: Buffer[] | undefined;
  headBytes: number;
  readonly startedAt: number;
  senderActiveAt: number;
  /** The last checksum index sent (-1: none yet). */
  lastSum: number;
  /** Since when it waits on one lagging recipient. */
  blockedSince: number | undefined;
  /** How far the sender may be ahead of the slowest ack (Files2Policy.windowBytes, grown on a long round trip). */
  window: number;
}

/** One open offer. */
export interface HubOffer {
  readonly id: number;
  readonly key: string;
  readonly senderId: string;
  /** The sender's connection; undefined while it is away. */
  sender: HubPort | undefined;
  readonly name: string;
  readonly files: number;
  readonly bytes: number;
  readonly manifest: number;
  /** Named recipients; undefined: the room. */
  readonly to: readonly string[] | undefined;
  readonly at: number;
  readonly recipients: Map<string, HubRecipient>;
  readonly streams: Set<HubStream>;
  lastActivity: number;
  awayTimer: NodeJS.Timeout | undefined;
}

/** The offer's whole data: the manifest and the files. */
export const dataLength = (offer: HubOffer): number => offer.manifest + offer.bytes;
