import { useActions, useAppState } from '../state/store';
import { Brand } from './brand';
import { HostForm } from './host-form';
import { JoinForm } from './join-form';
import { RecentRooms } from './recent-rooms';
import { SettingsButton } from './settings-button';

/** The first screen: host a room, or join one with an invite. */
export function StartScreen({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { endedMessage } = useAppState();
  const { dismissEndedMessage } = useActions();

  return (
    <div className="start-screen">
      <header className="top-bar">
        <Brand />
        <SettingsButton onClick={onOpenSettings} />
      </header>
      <main className="start-main">
        <div className="start-intro">
          <h1 className="start-title">Chat and share files, machine to machine</h1>
          <p className="start-lead">No account and no cloud: your messages and files go straight to the people in the room.</p>
        </div>
        {endedMessage !== null && (
          <div className="banner problem" role="alert">
            <p>{endedMessage}</p>
            <button type="button" className="button ghost small" onClick={dismissEndedMessage}>
              Dismiss
            </button>
          </div>
        )}
        <div className="start-cards">
          <HostForm />
          <JoinForm />
        </div>
        <RecentRooms />
      </main>
    </div>
  );
}
