/**
 * Limits handed to every ws receiver, host and guest side alike. ws's own defaults (16,384
 * fragments, 262,144 buffered chunks a message) let one connection pin gigabytes: each tiny
 * fragment or chunk keeps the whole network buffer it arrived in alive. See docs/SECURITY.md.
 */
export const WS_RECEIVER_LIMITS = {
  /** Fragments one message may arrive in; Porthole's own peers never fragment. */
  maxFragments: 16,
  /** Network chunks waiting to be parsed at once; a full 1 MiB file frame needs about 70. */
  maxBufferedChunks: 4096,
} as const;
