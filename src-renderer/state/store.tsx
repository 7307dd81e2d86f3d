// The store: one reducer behind a React context, fed by the bridge module, with the calls
// (actions) next to it so components need nothing else.
import { createContext, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import type { PortholeApi } from '../../src-preload/contract';
import { createActions, type Actions } from './actions';
import { initialState, type AppState } from './app-state';
import { connectBridge } from './bridge-events';
import { browserNotificationHost, createNotifier } from './desktop-notifications';
import { reducer } from './reducer';
import { browserAttentionHost, createUnreadCounter } from './unread-count';

const StateContext = createContext<AppState | null>(null);
const ActionsContext = createContext<Actions | null>(null);

/** Holds the window's state, listens to the bridge and loads the first snapshot. */
export function StoreProvider({ api, children }: { api: PortholeApi; children: ReactNode }) {
  const [state, dispatch] = useReducer(reducer, initialState);
  const actions = useMemo(() => createActions(api, dispatch), [api]);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  });

  useEffect(() => {
    const notifications = createNotifier(browserNotificationHost());
    // The unread count in the title and on the dock/taskbar badge, while the window is in the background.
    const attention = browserAttentionHost((count) => void api.setBadge(count).catch(() => {}));
    const unread = createUnreadCounter(attention);
    const stopSeen = attention.listen(unread.seen);
    const notifier = {
      roomEvent: (...args: Parameters<typeof notifications.roomEvent>) => {
        notifications.roomEvent(...args);
        unread.roomEvent(...args);
      },
      offer: notifications.offer,
    };
    const disconnect = connectBridge(api, dispatch, { notifier, me: () => stateRef.current.room?.me ?? null });
    // Subscribed first, so nothing pushed while the snapshot is on its way is lost.
    void actions.loadSnapshot();
    return () => {
      disconnect();
      stopSeen();
      unread.seen();
    };
  }, [api, actions]);

  return (
    <ActionsContext value={actions}>
      <StateContext value={state}>{children}</StateContext>
    </ActionsContext>
  );
}

/** The window's current state. */
export function useAppState(): AppState {
  const state = useContext(StateContext);
  if (state === null) throw new Error('useAppState is used outside <StoreProvider>.');
  return state;
}

/** The calls to the main process, already wired to the store. */
export function useActions(): Actions {
  const actions = useContext(ActionsContext);
  if (actions === null) throw new Error('useActions is used outside <StoreProvider>.');
  return actions;
}
