// The window's part of the features (each feature's NAME-window.ts, listed in
// session/room-features.ts FEATURE_WINDOWS), wired once for all of them: their calls become
// handlers and argument schemas, their events are pushed for as long as the room. Adding a
// feature's call or event touches its own folder and the contract's table, nothing here.
import type { z } from 'zod';
import type { CallArgs, CallData, CallName, EventName, Events } from '../../src-preload/contract';
import { FEATURE_WINDOWS, type MemberSides } from '../session/room-features';
import type { CallHandlers, EventSink } from './desktop-platform';

type Entry = (typeof FEATURE_WINDOWS)[number];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type AllCalls = UnionToIntersection<Entry['window']['calls']>;
type AllEvents = UnionToIntersection<Entry['window']['events']>;

/** The calls the features declare; each must be a call of the contract. */
export type FeatureCallName = keyof AllCalls & CallName;

type RunArgs<F> = F extends { run: (side: never, ...args: infer A) => unknown } ? A : never;
type RunData<F> = F extends { run: (...args: never[]) => infer R } ? Awaited<R> : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile-time checks: every feature call and event is in the contract, with the contract's
// arguments, answer and payload. A mismatch makes one of these `never`, and the build fails here.
type CallsMatch = {
  [K in keyof AllCalls]: K extends CallName
    ? Same<RunArgs<AllCalls[K]>, CallArgs<K>> extends true
      ? Same<RunData<AllCalls[K]>, CallData<K>>
      : false
    : false;
};
type EventsMatch = {
  [K in keyof AllEvents]: K extends EventName
    ? AllEvents[K] extends (side: never, push: (payload: infer P) => void) => void
      ? Same<P, Events[K]>
      : false
    : false;
};
const everyCallMatches: CallsMatch[keyof CallsMatch] extends true ? true : never = true;
const everyEventMatches: EventsMatch[keyof EventsMatch] extends true ? true : never = true;
void everyCallMatches;
void everyEventMatches;

interface LooseCall {
  args: z.ZodType;
  run: (side: unknown, ...args: unknown[]) => unknown;
}
type LooseEvents = Record<string, (side: unknown, push: (payload: unknown) => void) => void>;

const entries = () =>
  FEATURE_WINDOWS.map(({ side, window }) => ({
    side: side as (sides: MemberSides) => unknown,
    calls: window.calls as unknown as Record<string, LooseCall>,
    events: window.events as unknown as LooseEvents,
  }));

/** The argument schema of every feature call, for src-main/ipc/call-schemas.ts. */
export const FEATURE_CALL_SCHEMAS = Object.fromEntries(
  entries().flatMap(({ calls }) => Object.entries(calls).map(([name, call]) => [name, call.args])),
) as { [C in FeatureCallName]: z.ZodType<CallArgs<C>> };

/** A handler per feature call, acting on the member sides of the room the window is in (`sides` throws when there is none). */
export function featureWindowCalls({ sides: inRoom }: { sides: () => MemberSides }): Pick<CallHandlers, FeatureCallName> {
  const handlers: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const { side, calls } of entries()) {
    for (const [name, call] of Object.entries(calls)) {
      handlers[name] = async (...args) => call.run(side(inRoom()), ...args);
    }
  }
  return handlers as unknown as Pick<CallHandlers, FeatureCallName>;
}

/** Pushes every feature event of this session's member sides to the window. */
export function followFeatureWindows(sides: MemberSides, sink: EventSink): void {
  for (const { side, events } of entries()) {
    for (const [name, follow] of Object.entries(events)) {
      follow(side(sides), (payload) => sink(name as EventName, payload as Events[EventName]));
    }
  }
}
