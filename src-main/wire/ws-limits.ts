/**
 * Limits handed to every ws receiver, host and guest side alike. ws's own defaults (16,384
 * fragments, 262,144 buffered chunks a message) let one connection pin gigabytes: each tiny
 * fragment or chunk keeps the whole network buffer it arrived in alive. See docs/SECURITY.md.
 *
 * Measured on the host (six connections, test/integration/room/fragment-memory.test.ts): one-byte
 * fragments in ~16 KB TLS records padded with pongs pinned ~16 KB each, 770 MB of buffers; a frame
 * trickled one byte per record costs ~0.5 KB per held chunk. With these limits a connection
 * holds at most ~16 × 16 KB of fragments or ~0.5 MB of chunks before ws closes it with 1008.
 */
export const WS_RECEIVER_LIMITS = {
  /** Fragments one message may arrive in; Porthole's own peers never fragment. */
  maxFragments: 16,
  /**
   * Network chunks (TLS records) waiting to be parsed at once. A full file-chunk frame (256 KiB
   * + header) arrives in 17 records of 16 KB; 1024 leaves room for records down to 256 bytes.
   */
  maxBufferedChunks: 1024,
} as const;
