import { PortholeError } from '../wire/errors';
import { LIMITS } from '../wire/protocol';

/** How many people a hosted room lets in, the host included: the default and the range a host may choose. */
export const ROOM_SIZE = { default: LIMITS.maxMembers, ...LIMITS.roomSize } as const;

/** Why a room size was refused: the range, said to the person who typed it. */
export const ROOM_SIZE_RULE = `A room takes from ${ROOM_SIZE.min} to ${ROOM_SIZE.max} people, you included: use a whole number in that range.`;

/** What is wrong with `value` as a room size, as a sentence; undefined when it is one. */
export function roomSizeProblem(value: number): string | undefined {
  return Number.isInteger(value) && value >= ROOM_SIZE.min && value <= ROOM_SIZE.max ? undefined : ROOM_SIZE_RULE;
}

/** `value` if it is a room size; otherwise a PortholeError('invalid-request') saying the range. */
export function checkedRoomSize(value: number): number {
  const problem = roomSizeProblem(value);
  if (problem) throw new PortholeError('invalid-request', problem);
  return value;
}
