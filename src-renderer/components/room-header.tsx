import { useState } from 'react';
import { useActions } from '../state/store';
import type { RoomState } from '../state/app-state';
import { leaveQuestion } from '../format/leave-question';
import { sessionStatusWords } from '../format/room-words';
import { Brand } from './brand';
import { BusyLabel } from './busy-label';
import { LeaveRoomDialog } from './leave-room-dialog';
import { SettingsButton } from './settings-button';
import { StopHostingDialog } from './stop-hosting-dialog';

/** The room's top bar: who hosts it, the connection, Settings, and the way out. */
export function RoomHeader({ room, onOpenSettings }: { room: RoomState; onOpenSettings: () => void }) {
  const { leave } = useActions();
  // Asked when the button was pressed: what leaving stops then (the dialog does not change under the person's eyes).
  const [asking, setAsking] = useState<ReturnType<typeof leaveQuestion>>(undefined);
  const [leaving, setLeaving] = useState(false);
  const status = sessionStatusWords(room.status);
  const hostName = room.members.find((m) => m.host)?.name;
  const roleText = room.role === 'host' ? 'You are hosting' : hostName ? `In ${hostName}’s room` : 'Guest';

  // Leaving can take a moment (partial files are cleaned up first); the button shows it.
  const doLeave = async () => {
    setAsking(undefined);
    setLeaving(true);
    const result = await leave();
    if (!result.ok) setLeaving(false);
  };
  // Stop hosting always asks; a guest is asked only while files are moving.
  const pressLeave = () => {
    const question = leaveQuestion(room);
    if (question) setAsking(question);
    else void doLeave();
  };

  return (
    <header className="top-bar room-header">
      <Brand />
      <div className="room-identity">
        <span className={`pill role-${room.role}`}>{roleText}</span>
        <span className={`pill tone-${status.tone}`} role="status">
          <span className="dot" aria-hidden="true" />
          {status.text}
        </span>
      </div>
      <div className="top-bar-actions">
        <SettingsButton onClick={onOpenSettings} />
        {room.role === 'host' ? (
          <button type="button" className="button danger-outline" onClick={pressLeave} aria-haspopup="dialog" disabled={leaving}>
            <BusyLabel busy={leaving}>Stop hosting</BusyLabel>
          </button>
        ) : (
          <button type="button" className="button outline" onClick={pressLeave} disabled={leaving} aria-busy={leaving}>
            <BusyLabel busy={leaving}>Leave room</BusyLabel>
          </button>
        )}
      </div>
      {asking?.kind === 'stop-hosting' && (
        <StopHostingDialog
          guests={asking.guests}
          moving={asking.moving}
          onConfirm={() => void doLeave()}
          onClose={() => setAsking(undefined)}
        />
      )}
      {asking?.kind === 'files-moving' && (
        <LeaveRoomDialog moving={asking.moving} onConfirm={() => void doLeave()} onClose={() => setAsking(undefined)} />
      )}
    </header>
  );
}
