import { useMemo } from 'react';
import { inviteQr } from '../format/qr-path';

/** Modules of light margin around the code, as QR readers expect (the quiet zone). */
const QUIET = 4;

/** The invite as a QR code, for a phone's camera; drawn as one SVG path, dark on white in both themes. */
export function InviteQr({ invite }: { invite: string }) {
  const qr = useMemo(() => {
    try {
      return inviteQr(invite);
    } catch {
      return null; // longer than a QR code holds: the invite text is still there to copy
    }
  }, [invite]);
  if (qr === null) return <p className="muted">This invite is too long for a QR code; copy it instead.</p>;
  const side = qr.size + 2 * QUIET;
  return (
    <svg
      className="invite-qr"
      viewBox={`${-QUIET} ${-QUIET} ${side} ${side}`}
      role="img"
      aria-label="QR code of the invite"
      shapeRendering="crispEdges"
    >
      <rect x={-QUIET} y={-QUIET} width={side} height={side} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}
