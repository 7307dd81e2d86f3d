// Peer text is shown as text: anything a terminal could take as a command (C0/C1 controls,
// escape sequences) is made visible instead. Newlines and tabs stay.
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Peer text made safe for a terminal. */
export const printable = (s: string) => s.replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
