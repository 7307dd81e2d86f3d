// The features this build speaks, put together once for the host and once for a guest: the only
// place that names them all (docs/ARCHITECTURE.md, "Adding a feature"). The order is the order
// hello and welcome announce them in.
import type { Feature } from '../room/feature';
import { ChatHub } from '../features/chat/chat-hub';
import { ChatMember } from '../features/chat/chat-member';
import { CHAT_SPEC } from '../features/chat/chat-messages';
import { FileTransfers, type FileTransferOptions } from '../features/files/file-transfers';
import { FilesHub } from '../features/files/files-hub';
import { FILES_SPEC } from '../features/files/files-spec';
import type { HubPolicy } from '../features/files/transfer-hub';
import { FILES2_SPEC } from '../features/files/v2/files2-spec';
import { Files2Hub } from '../features/files/v2/hub/files2-hub';
import type { Files2Policy } from '../features/files/v2/hub/hub-records';
import { TypingHub } from '../features/typing/typing-hub';
import { TypingMember } from '../features/typing/typing-member';
import { TYPING_SPEC } from '../features/typing/typing-messages';
import { TYPING_WINDOW } from '../features/typing/typing-window';
import { MessageRegistry } from '../wire/message-registry';

/** The wire protocol this build speaks: the core and every feature below (for tools and tests that decode frames). */
export const BUILD_MESSAGES = new MessageRegistry([CHAT_SPEC, FILES_SPEC, FILES2_SPEC, TYPING_SPEC]);

/** What the CLI and the window use of a room's features: one member side of each. */
export interface MemberSides {
  chat: ChatMember;
  files: FileTransfers;
  typing: TypingMember;
}

export interface HostFileOptions extends FileTransferOptions {
  /** The files/1 hub's limits (stall timeouts, transfers per sender…). */
  policy?: Partial<HubPolicy> | undefined;
  /** The files/2 hub's limits and timings. */
  policy2?: Partial<Files2Policy> | undefined;
}

/** The host's features: each one's hub side, and the host's own member side. */
export function hostFeatures(files: HostFileOptions = {}): { features: Feature[]; sides: MemberSides } {
  const sides: MemberSides = { chat: new ChatMember(), files: new FileTransfers(files), typing: new TypingMember() };
  const files1 = new FilesHub(files.policy);
  return {
    sides,
    features: [
      { spec: CHAT_SPEC, hub: new ChatHub(), member: sides.chat },
      { spec: FILES_SPEC, hub: files1, member: sides.files.v1 },
      ...(files.files2 === false
        ? []
        : [
            {
              spec: FILES2_SPEC,
              hub: new Files2Hub({ policy: files.policy2, files1Members: () => files1.memberIds() }),
              member: sides.files.v2,
            },
          ]),
      { spec: TYPING_SPEC, hub: new TypingHub(), member: sides.typing },
    ],
  };
}

/** A guest's features: the member side of each. */
export function guestFeatures(files: FileTransferOptions = {}): { features: Feature[]; sides: MemberSides } {
  const sides: MemberSides = { chat: new ChatMember(), files: new FileTransfers(files), typing: new TypingMember() };
  return {
    sides,
    features: [
      { spec: CHAT_SPEC, member: sides.chat },
      { spec: FILES_SPEC, member: sides.files.v1 },
      ...(files.files2 === false ? [] : [{ spec: FILES2_SPEC, member: sides.files.v2 }]),
      { spec: TYPING_SPEC, member: sides.typing },
    ],
  };
}

/**
 * The window's part of each feature that has one: its calls and pushed events (named in
 * src-preload/contract.ts), and which member side they act on. src-main/desktop/feature-windows.ts
 * wires them all, checked against the contract when it compiles.
 */
export const FEATURE_WINDOWS = [{ side: (sides: MemberSides) => sides.typing, window: TYPING_WINDOW }] as const;
