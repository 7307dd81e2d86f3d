// The settings the window shows and changes, kept in settings.json beside the CLI's.
import { userInfo } from 'node:os';
import type { SettingsPatch, SettingsView } from '../../src-preload/contract';
import { settingsStore, type Settings } from '../config/settings';
import { PortholeError } from '../wire/errors';
import { nameSchema } from '../wire/protocol';
import { defaultDownloadDir } from '../features/files/download-folder';
import { parsePublicAddress } from '../session/room-invite';
import { parseRelayUri } from '../relay/relay-uri';
import { ROOM_SIZE, checkedRoomSize } from '../room/room-size';

export class SettingsService {
  private readonly store;
  /** Writes one at a time, so two quick changes never race on the file. */
  private writing: Promise<unknown> = Promise.resolve();
  private readonly watchers = new Set<(settings: Settings) => void>();

  constructor(
    configDir: string,
    private readonly onChange: (view: SettingsView) => void,
  ) {
    this.store = settingsStore(configDir);
  }

  async load(): Promise<Settings> {
    await this.writing;
    return (await this.store.load()).value;
  }

  async view(): Promise<SettingsView> {
    return toView(await this.load());
  }

  /** Applies a change the person made; a bad name is refused with the rule it broke. */
  async update(patch: SettingsPatch): Promise<SettingsView> {
    let displayName: string | undefined;
    if (patch.displayName !== undefined) {
      const parsed = nameSchema.safeParse(patch.displayName);
      if (!parsed.success)
        throw new PortholeError('name-invalid', `${parsed.error.issues[0]?.message ?? 'Invalid name.'} Pick another name.`);
      displayName = parsed.data;
    }
    // Checked as the person types it in, not when the next room starts; the room's port fills in a missing one.
    const publicAddress = patch.publicAddress?.trim();
    if (publicAddress) parsePublicAddress(publicAddress, 1);
    // A relay is checked the same way (PortholeError 'relay-invalid' with what to fix).
    const relay = patch.relay?.trim();
    if (relay) parseRelayUri(relay);
    if (patch.maxPeople !== undefined) checkedRoomSize(patch.maxPeople);
    return this.change((s) => ({
      ...s,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(patch.port !== undefined ? { port: patch.port ?? undefined } : {}),
      ...(patch.upnp !== undefined ? { upnp: patch.upnp } : {}),
      ...(publicAddress !== undefined ? { publicAddress: publicAddress || undefined } : {}),
      ...(relay !== undefined ? { relay: relay || undefined } : {}),
      ...(patch.maxPeople !== undefined ? { maxPeople: patch.maxPeople } : {}),
    }));
  }

  /**
   * Calls `listener` with the settings after every change that is saved (a room being hosted
   * follows the Room size this way). Returns the function that stops it.
   */
  watch(listener: (settings: Settings) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Remembers the name and port a hosted room used. */
  remember(used: { displayName: string; port: number }): Promise<void> {
    return this.change((s) => ({ ...s, ...used })).then(() => {});
  }

  /** Sets or (with undefined) resets the download folder. */
  setDownloadDir(dir: string | undefined): Promise<SettingsView> {
    return this.change((s) => ({ ...s, downloadDir: dir }));
  }

  /** The folder accepted files go to now. */
  async downloadDir(): Promise<string> {
    return (await this.load()).downloadDir ?? (await defaultDownloadDir());
  }

  private change(edit: (s: Settings) => Settings): Promise<SettingsView> {
    const next = this.writing.then(async () => {
      const updated = edit((await this.store.load()).value);
      await this.store.save(updated);
      for (const watcher of this.watchers) watcher(updated);
      return toView(updated);
    });
    this.writing = next.catch(() => {});
    return next.then((view) => {
      this.onChange(view);
      return view;
    });
  }
}

/** The login name, when it is a valid display name. */
export function suggestedName(): string {
  const parsed = nameSchema.safeParse(userInfo().username);
  return parsed.success ? parsed.data : '';
}

async function toView(s: Settings): Promise<SettingsView> {
  return {
    displayName: s.displayName ?? '',
    downloadDir: s.downloadDir ?? (await defaultDownloadDir()),
    downloadDirIsDefault: s.downloadDir === undefined,
    port: s.port ?? null,
    upnp: s.upnp,
    publicAddress: s.publicAddress ?? '',
    relay: s.relay ?? '',
    maxPeople: s.maxPeople ?? ROOM_SIZE.default,
  };
}
