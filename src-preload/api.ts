// Builds the window's API from any transport: Electron's ipcRenderer in preload.ts, a test
// transport in the end-to-end tests. Exposes named functions only; the transport stays inside.
import {
  CALL_NAMES,
  CALLS,
  EVENT_NAMES,
  type CallArgs,
  type CallData,
  type CallMethods,
  type CallName,
  type EventName,
  type Events,
  type OfferOutcome,
  type PortholeApi,
  type Result,
} from './contract';
import { UPLOAD_CHUNK_BYTES } from './domain-values';

/** What the API needs from the IPC underneath. */
export interface BridgeTransport {
  invoke(channel: CallName, ...args: unknown[]): Promise<unknown>;
  /** Subscribes to one pushed channel; returns the function that unsubscribes. */
  on(channel: EventName, listener: (payload: unknown) => void): () => void;
  /** The path of a File on disk; '' when it has none (e.g. dragged from a web page). */
  pathForFile(file: File): string;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(EVENT_NAMES);

/** `{ to }` for chosen members, `{}` for the whole room (no list, or an empty one). Main checks the ids. */
const recipientsOf = (to: unknown): { to?: string[] } => (Array.isArray(to) && to.length > 0 ? { to: [...(to as string[])] } : {});

/** The object the preload exposes as `window.porthole`. */
export function createApi(transport: BridgeTransport): PortholeApi {
  const call = <C extends CallName>(channel: C, ...args: CallArgs<C>): Promise<Result<CallData<C>>> =>
    transport.invoke(channel, ...args).then(
      (result) => result as Result<CallData<C>>,
      (err: unknown) => ({
        ok: false,
        error: { code: 'internal', message: `Porthole's window lost contact with the app: ${String(err)}` },
      }),
    );

  /** Streams a File with no path on disk to main in pieces, where it is kept aside until offered; answers its upload id. */
  const upload = async (file: File): Promise<Result<string>> => {
    const begun = await call('upload:begin', { name: file.name, size: file.size });
    if (!begun.ok) return begun;
    const { uploadId } = begun.data;
    for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
      const bytes = await file
        .slice(offset, offset + UPLOAD_CHUNK_BYTES)
        .arrayBuffer()
        .then(
          (buffer) => new Uint8Array(buffer),
          () => undefined, // NotReadableError: the file changed or vanished while being read
        );
      const sent: Result<null> = bytes
        ? await call('upload:chunk', { uploadId, offset, bytes })
        : {
            ok: false,
            error: { code: 'file-unreadable', message: `${file.name} could not be read; it may have been moved or changed. Try again.` },
          };
      if (!sent.ok) {
        await call('upload:abort', { uploadId });
        return sent;
      }
    }
    const finished = await call('upload:finish', { uploadId });
    return finished.ok ? { ok: true, data: uploadId } : finished;
  };

  /** Several files (dropped together, or a folder) are one offer: one item for everyone it is for. */
  const offerFiles = async (files: File[], to?: string[]): Promise<Result<OfferOutcome>> => {
    // Duck-typed: File objects handed over by contextBridge need not pass instanceof here.
    const list = Array.from(files ?? []).filter(
      (f): f is File => typeof f?.name === 'string' && typeof f.size === 'number' && typeof f.slice === 'function',
    );
    if (list.length === 0) return { ok: false, error: { code: 'invalid-request', message: 'There were no files to send.' } };
    const recipients = recipientsOf(to);
    const onDisk = list.map((file) => ({ file, path: transport.pathForFile(file) }));
    const paths = onDisk.filter((f) => f.path !== '').map((f) => f.path);
    const pathless = onDisk.filter((f) => f.path === '').map((f) => f.file);
    if (pathless.length === 0) return call('transfer:offer-paths', { paths, ...recipients });
    // Files with no copy on disk are kept aside in main first, then offered with the rest as one item.
    const uploadIds: string[] = [];
    for (const file of pathless) {
      const uploaded = await upload(file);
      if (!uploaded.ok) {
        for (const uploadId of uploadIds) await call('upload:abort', { uploadId });
        return uploaded;
      }
      uploadIds.push(uploaded.data);
    }
    return call('upload:offer', { uploadIds, paths, ...recipients });
  };

  /** One function per call with a method in the table: exactly its arguments, no more, no fewer. */
  const callMethods = Object.fromEntries(
    CALL_NAMES.flatMap((channel) => {
      const { method, arity } = CALLS[channel];
      if (method === null) return [];
      const make = (...args: unknown[]) => call(channel, ...(Array.from({ length: arity }, (_, i) => args[i]) as CallArgs<typeof channel>));
      return [[method, make]];
    }),
  ) as CallMethods;

  return {
    ...callMethods,
    offerFiles,
    chooseFiles: (to) => call('transfer:choose-files', recipientsOf(to)),
    chooseFolder: (to) => call('transfer:choose-folder', recipientsOf(to)),
    on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => {
      if (!KNOWN_EVENTS.has(event) || typeof listener !== 'function') throw new TypeError(`Unknown Porthole event: ${String(event)}`);
      return transport.on(event, (payload) => listener(payload as Events[E]));
    },
  };
}
