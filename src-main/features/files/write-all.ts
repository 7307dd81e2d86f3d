import type { FileHandle } from 'node:fs/promises';

/** writev until every byte is on disk (a short write continues where it stopped); resolves with the bytes written. */
export async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<number> {
  let rest = buffers;
  let total = 0;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, position + total);
    total += bytesWritten;
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= rest[0]!.length) {
      skip -= rest[0]!.length;
      rest = rest.slice(1);
    }
    if (skip > 0) rest = [rest[0]!.subarray(skip), ...rest.slice(1)];
  }
  return total;
}
