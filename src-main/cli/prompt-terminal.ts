// The line editor of an interactive CLI (stdin and stdout both a terminal): Node's readline edits
// the line after a "> " prompt, and every line the room prints goes above it, the prompt and what
// you were typing drawn again below, so arriving messages never break a half-typed line. A status
// line (transfer progress) can sit just above the prompt, redrawn in place and never left behind
// in the scrollback.
import { createInterface, type Interface, type Key } from 'node:readline';

/** The prompt in front of what you type. */
export const PROMPT = '> ';

// ANSI/VT100 control sequences (what readline's own cursorTo/clearScreenDown write).
const CARRIAGE_RETURN = '\r';
const CLEAR_TO_END_OF_SCREEN = '\x1b[0J';
const CLEAR_LINE = '\x1b[2K';
/** Deletes the cursor's row; the rows below move up (DL). */
const DELETE_LINE = '\x1b[M';
const up = (rows: number) => (rows > 0 ? `\x1b[${rows}A` : '');
const down = (rows: number) => (rows > 0 ? `\x1b[${rows}B` : '');
const toColumn = (column: number) => `\x1b[${column + 1}G`;

export interface PromptTerminalOptions {
  input: NodeJS.ReadStream;
  /** The terminal the prompt is drawn on (stdout). */
  terminal: NodeJS.WriteStream;
  /** Writes to stdout and stderr, guarded (see output-streams.ts). */
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is the same terminal (its lines then also go above the prompt). */
  errIsTerminal: boolean;
  /** Ctrl-C in the line editor (raw mode sends no SIGINT of its own). */
  onInterrupt(): void;
}

/** Whether the CLI talks to a person: stdin and stdout both terminals (not a pipe, not a file). */
export function isInteractive(input: { isTTY?: boolean }, output: { isTTY?: boolean }): boolean {
  return !!input.isTTY && !!output.isTTY;
}

/**
 * Output and line editing for a person at a terminal. Before reading starts (while joining) lines
 * print as usual and `transient` shows a line that the next one replaces (connecting progress).
 * Once reading, each printed line erases the prompt and the partial input, prints, and redraws them.
 */
export class PromptTerminal {
  private lines: Interface | undefined;
  private transientShown = false;
  /** Rows the prompt and the line took when Enter was pressed (cursor at the line's end). */
  private enteredRows = 1;
  /** The status line kept above the prompt while reading ('' for none), and whether it is on screen now. */
  private status = '';
  private statusShown = false;

  constructor(private readonly options: PromptTerminalOptions) {
    // Restoring the terminal's mode on a terminal that hung up fails; that is no reason to crash.
    options.input.on('error', () => {});
  }

  /** A line (or lines) for stdout, above the prompt. */
  readonly out = (text: string): void => this.above(text, this.options.out);

  /** A line for stderr: above the prompt when stderr is this terminal, else as is. */
  readonly err = (text: string): void => {
    if (this.options.errIsTerminal) this.above(text, this.options.err);
    else this.options.err(text);
  };

  /**
   * A line the next call replaces (no newline in `text`; '' removes it). Before reading, e.g.
   * "Connecting… 3 s", also gone with the next output. While reading, a status line kept just above
   * the prompt (lines printed go above it), e.g. a transfer's progress; cut to the terminal's width.
   */
  readonly transient = (text: string): void => {
    if (!this.lines) {
      this.options.out(`${CARRIAGE_RETURN}${CLEAR_LINE}${text}`);
      this.transientShown = true;
      return;
    }
    const fitted = this.fit(text);
    if (fitted === this.status && this.statusShown === (fitted !== '')) return;
    this.status = fitted;
    this.above('', this.options.out);
  };

  /** Starts the line editor (raw mode, history, the prompt); lines typed arrive as 'line'. */
  read(): Interface {
    if (this.lines) return this.lines;
    this.clearTransient();
    const { input, terminal } = this.options;
    let lines: Interface;
    try {
      lines = createInterface({ input, output: terminal, terminal: true, prompt: PROMPT, historySize: 200 });
    } catch {
      // The terminal hung up before the editor could start (setRawMode EIO): plain lines, which end with the input.
      return createInterface({ input, terminal: false });
    }
    this.lines = lines;
    // Before readline handles Enter: how many rows the prompt and the line fill, to erase them.
    input.prependListener('keypress', (_text: string | undefined, key: Key | undefined) => {
      if (key?.name !== 'return' && key?.name !== 'enter') return;
      this.enteredRows = this.rowsOfInput();
      // The line entered stays in the scrollback; the status above it must not. Drawn again with the next output.
      this.dropStatusRow();
    });
    // readline passes the input's errors on (setRawMode EIO once the terminal hung up): not a crash.
    lines.on('error', () => {});
    lines.on('SIGINT', () => this.options.onInterrupt());
    lines.on('close', () => (this.lines = undefined));
    lines.prompt();
    return lines;
  }

  /**
   * Erases the line just entered (readline already moved below it), so that a chat line is shown
   * once: as the room's copy, with the time and your name.
   */
  eraseEnteredLine(): void {
    if (!this.lines) return;
    this.options.out(`${up(this.enteredRows)}${CARRIAGE_RETURN}${CLEAR_TO_END_OF_SCREEN}`);
  }

  /** Ends the line editor: the terminal goes back to its usual mode. */
  close(): void {
    this.dropStatusRow();
    this.status = '';
    this.lines?.close();
    this.lines = undefined;
  }

  private above(text: string, write: (text: string) => void): void {
    const lines = this.lines;
    if (!lines) {
      this.clearTransient();
      return write(text);
    }
    // From the cursor's row up to the status (or the prompt's first row), then everything below it goes.
    const statusRows = this.statusShown ? 1 : 0;
    this.options.out(`${up(lines.getCursorPos().rows + statusRows)}${CARRIAGE_RETURN}${CLEAR_TO_END_OF_SCREEN}`);
    write(text);
    this.statusShown = this.status !== '';
    if (this.statusShown) this.options.out(`${this.status}\n`);
    // readline would move up by the rows of its last drawing first; those rows are gone already.
    (lines as unknown as { prevRows: number }).prevRows = 0;
    lines.prompt(true);
  }

  /** Takes the status row above the prompt out of the screen (the prompt and input move up into it), the cursor where it was in the input. */
  private dropStatusRow(): void {
    const lines = this.lines;
    if (!lines || !this.statusShown) return;
    this.statusShown = false;
    const { rows, cols } = lines.getCursorPos();
    this.options.out(`${up(rows + 1)}${CARRIAGE_RETURN}${DELETE_LINE}${down(rows)}${toColumn(cols)}`);
  }

  /** `text` on one row of this terminal: cut with an ellipsis, so redrawing it never has to count wrapped rows. */
  private fit(text: string): string {
    const columns = this.options.terminal.columns || 80;
    const chars = [...text];
    return chars.length < columns ? text : `${chars.slice(0, Math.max(0, columns - 2)).join('')}…`;
  }

  private clearTransient(): void {
    if (!this.transientShown) return;
    this.transientShown = false;
    this.options.out(`${CARRIAGE_RETURN}${CLEAR_LINE}`);
  }

  private rowsOfInput(): number {
    const lines = this.lines;
    if (!lines) return 1;
    const columns = this.options.terminal.columns;
    // readline keeps the cursor on the row after a row the line fills exactly (it writes a space to
    // get there), so the rows are always the end's row plus one.
    if (lines.cursor === lines.line.length) return lines.getCursorPos().rows + 1;
    // The cursor is inside the line: counted by characters (wide characters may be off by a row).
    if (!columns) return 1;
    return Math.floor((PROMPT.length + [...lines.line].length) / columns) + 1;
  }
}
