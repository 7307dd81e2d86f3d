// Every call the window makes to the main process. Each one updates the store with what it
// answered and hands the Result back, so a form can show its own error sentence.
import type { PortholeApi, Result, SettingsPatch, SettingsView } from '../../src-preload/contract';
import { filesSummary } from '../format/transfer-words';
import type { Action } from './app-state';

export type Actions = ReturnType<typeof createActions>;

/** Builds the window's calls over a bridge (window.porthole in the app, a fake in tests). */
export function createActions(api: PortholeApi, dispatch: (action: Action) => void) {
  const notice = (text: string) => dispatch({ type: 'notice-added', text });
  const noticeOnError = <T>(result: Result<T>): Result<T> => {
    if (!result.ok) notice(result.error.message);
    return result;
  };
  const settingsAnswer = (result: Result<SettingsView>): Result<SettingsView> => {
    if (result.ok) dispatch({ type: 'settings-changed', settings: result.data });
    return result;
  };
  /** A refused offer is said in a sentence naming what was not sent, when the window knows it. */
  const offerAnswer = <T>(result: Result<T>, names: readonly string[] = []): Result<T> => {
    if (result.ok) return result;
    const what = names.length === 0 ? '' : `${filesSummary(names)} ${names.length === 1 ? 'was' : 'were'} not sent: `;
    notice(`${what}${result.error.message}`);
    return result;
  };

  return {
    /** Reads the whole state from main; the window draws from it on start. */
    async loadSnapshot() {
      const result = await settle(() => api.snapshot());
      dispatch(result.ok ? { type: 'snapshot-loaded', snapshot: result.data } : { type: 'snapshot-failed', error: result.error });
      return result;
    },
    /**
     * Hosts a room under this name. The room opens with the `room:opened` event, which comes
     * before every later event of the room; the answer only tells the form how it went.
     */
    host: (name: string) => settle(() => api.host({ name })),
    /** Joins the room an invite points to; the room opens with `room:opened`, as for host(). */
    join: (invite: string, name: string) => settle(() => api.join({ invite, name })),
    /** Rejoins a recent room with the invite kept for it; the room opens with `room:opened`. */
    rejoin: (recent: string, name: string) => settle(() => api.join({ invite: '', name, recent })),
    /** Hosts a recent room of your own again, with the same invite (same secret and port). */
    reopen: (recent: string, name: string) => settle(() => api.host({ name, recent })),
    /** The rooms this machine was in, most recent first. */
    recentRooms: () => settle(() => api.recentRooms()),
    /** The lines kept of a recent room. */
    roomHistory: (key: string) => settle(() => api.roomHistory(key)),
    /** Forgets a recent room, its invite and its lines. */
    forgetRoom: (key: string) => settle(() => api.forgetRoom(key)),
    /** Host: removes a member, who reads `reason`. */
    allowMember: async (name: string) => noticeOnError(await settle(() => api.allowMember(name))),
    removeMember: async (member: string, reason: string) =>
      noticeOnError(await settle(() => api.removeMember({ member, ...(reason.trim() ? { reason: reason.trim() } : {}) }))),
    /** Host: a new invite; the one sent so far stops working, everyone here stays. */
    async revokeInvite() {
      const result = await settle(() => api.revokeInvite());
      if (result.ok) dispatch({ type: 'invite-changed', invite: result.data });
      return noticeOnError(result);
    },
    /** Leaves the room, or closes it for everyone when hosting. */
    async leave() {
      const result = await settle(() => api.leave());
      if (result.ok) dispatch({ type: 'room-ended' });
      return noticeOnError(result);
    },
    /** Sends a chat message; the line appears when the room echoes it back. */
    sendChat: (text: string) => settle(() => api.sendChat(text)),
    /**
     * Offers dropped or pasted files as ONE item, to everyone or to the members `to` names; an
     * offer that was refused becomes a notice.
     */
    offerFiles: async (files: File[], to?: string[]) =>
      offerAnswer(
        await settle(() => api.offerFiles(files, to)),
        Array.from(files, (f) => f.name),
      ),
    /** Lets the person pick files and offers them as one item, to everyone or to `to`. */
    chooseFiles: async (to?: string[]) => offerAnswer(await settle(() => api.chooseFiles(to))),
    /** Lets the person pick a folder and offers it with everything in it, to everyone or to `to`. */
    chooseFolder: async (to?: string[]) => offerAnswer(await settle(() => api.chooseFolder(to))),
    /** Tries an interrupted or failed transfer again (resumes it where data was kept). */
    retry: async (id: string) => noticeOnError(await settle(() => api.retry(id))),
    /** Forgets the finished transfers; the list drops them. */
    async clearFinished() {
      const result = await settle(() => api.clearFinished());
      if (result.ok) dispatch({ type: 'transfers-cleared', ids: result.data });
      return noticeOnError(result);
    },
    /** Accepts an incoming file; it is saved to the download folder. */
    accept: async (id: string) => noticeOnError(await settle(() => api.accept(id))),
    /** Declines an incoming file. */
    decline: async (id: string) => noticeOnError(await settle(() => api.decline(id))),
    /** Stops a transfer in either direction. */
    cancel: async (id: string) => noticeOnError(await settle(() => api.cancel(id))),
    /** Shows a received file in the system file manager. */
    showInFolder: async (id: string) => noticeOnError(await settle(() => api.showInFolder(id))),
    /** Opens an http(s) link in the default browser. */
    openLink: async (url: string) => noticeOnError(await settle(() => api.openLink(url))),
    /** Puts text on the clipboard; the caller shows "Copied". */
    copyText: async (text: string) => noticeOnError(await settle(() => api.copyText(text))),
    /** Saves changed settings; the Result carries the validation sentence when refused. */
    updateSettings: async (patch: SettingsPatch) => settingsAnswer(await settle(() => api.updateSettings(patch))),
    /** Lets the person pick a new download folder. */
    chooseDownloadFolder: async () => settingsAnswer(await settle(() => api.chooseDownloadFolder())),
    /** Goes back to the default download folder. */
    resetDownloadFolder: async () => settingsAnswer(await settle(() => api.resetDownloadFolder())),
    /** Hides a notice. */
    dismissNotice: (id: number) => dispatch({ type: 'notice-dismissed', id }),
    /** The composer took back the text of a refused line (AppState.refusedSend). */
    refusedSendTaken: () => dispatch({ type: 'refused-send-taken' }),
    /** Hides the sentence saying why the last room ended. */
    dismissEndedMessage: () => dispatch({ type: 'ended-message-dismissed' }),
  };
}

/**
 * Runs a bridge call, turning a rejection into a failed Result: the preload answers Results,
 * but a broken IPC channel still throws, and the window should say so rather than hang.
 */
async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'internal', message: `Porthole could not reach its main process: ${detail}` } };
  }
}
