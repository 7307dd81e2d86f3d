// Which form field an error belongs to, so its sentence shows next to that field (and the field
// names it with aria-describedby); anything else is about the whole form.
import type { ErrorCode } from '../../src-preload/contract';

export type FormField = 'invite' | 'name';

const FIELD_OF: Partial<Record<ErrorCode, FormField>> = {
  'invite-invalid': 'invite',
  // The invite's secret is old or mistyped: the invite is what to fix.
  'wrong-secret': 'invite',
  'name-invalid': 'name',
  'name-taken': 'name',
};

/** The field an error code is about, or null when it is about the form as a whole. */
export function fieldOfError(code: ErrorCode | undefined): FormField | null {
  return code === undefined ? null : (FIELD_OF[code] ?? null);
}
