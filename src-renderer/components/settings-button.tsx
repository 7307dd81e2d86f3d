import { GearIcon } from './icons';

/** Opens the settings dialog. */
export function SettingsButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button ghost" onClick={onClick} aria-haspopup="dialog">
      <GearIcon />
      Settings
    </button>
  );
}
