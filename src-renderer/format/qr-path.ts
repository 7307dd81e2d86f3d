// A QR code as one SVG path: each run of dark modules in a row becomes one rectangle, so the
// window draws it with React elements (no innerHTML) and it scales crisply at any size.
import QRCode from 'qrcode';

/** The modules of a QR symbol: `size` × `size`, dark where `get` answers 1. */
export interface QrModules {
  size: number;
  get(row: number, col: number): number;
}

/** The SVG path ("M x y h w v 1 h -w z" per run) that draws every dark module, in module units. */
export function qrPath(modules: QrModules): string {
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      parts.push(`M${start} ${row}h${col - start}v1h${start - col}z`);
    }
  }
  return parts.join('');
}

/** The invite as QR modules, error correction M (a phone reads it from a screen at a glance). */
export function inviteQr(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, path: qrPath(modules) };
}
