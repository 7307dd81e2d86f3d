import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * A small JSON file checked against a schema. A missing or damaged file gives the defaults
 * (and says so) rather than stopping the app; saving replaces the file atomically.
 */
export class JsonStore<S extends z.ZodType> {
  constructor(
    private readonly path: string,
    private readonly schema: S,
    private readonly fileMode = 0o600,
  ) {}

  async load(): Promise<{ value: z.infer<S>; problem?: string }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: this.schema.parse({}) };
      throw err;
    }
    try {
      return { value: this.schema.parse(JSON.parse(text)) };
    } catch {
      return { value: this.schema.parse({}), problem: `${this.path} was damaged, so defaults are used; it will be rewritten.` };
    }
  }

  async save(value: z.infer<S>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // A name of its own per save, so two saves at once never rename each other's file away.
    const temp = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: this.fileMode });
    await rename(temp, this.path);
  }
}
