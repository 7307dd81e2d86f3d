// The settings' port field: empty means "any free port".
import { PORT_RANGE } from '../../src-preload/domain-values';

/** The typed port as a setting (a number, or null for any free port), or the sentence saying what is wrong. */
export function parsePortField(typed: string): { ok: true; port: number | null } | { ok: false; message: string } {
  const text = typed.trim();
  if (text === '') return { ok: true, port: null };
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < PORT_RANGE.min || port > PORT_RANGE.max) {
    return {
      ok: false,
      message: `The port must be a whole number from ${PORT_RANGE.min} to ${PORT_RANGE.max}, or empty to pick any free port.`,
    };
  }
  return { ok: true, port };
}
