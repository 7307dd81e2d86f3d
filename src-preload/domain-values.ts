// Values the window shares with the main side, as plain TypeScript: no Node, zod or electron
// import (test/unit/preload/domain-values.test.ts checks), so the renderer and the preload may
// import them at run time. The main side uses this module, or the module a value is re-exported
// from, so each value exists once.

/** States a transfer never leaves, and whether a state is one (the transfer code's own set). */
export { FINAL_STATES, isFinalState } from '../src-main/features/files/transfer-events';

/** Bytes per upload:chunk call: the preload cuts a path-less file into pieces this size; main refuses larger ones. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** The ports the settings accept for a hosted room (null there means any free port). */
export const PORT_RANGE = { min: 1, max: 65_535 } as const;
