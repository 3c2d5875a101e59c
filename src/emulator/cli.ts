import { WixqError } from '../errors.js';
import type { IO } from '../output/io.js';

/** `wixq emulator`: placeholder until the emulator room lands (issue 2). */
export async function runEmulatorCommand(_opts: Record<string, unknown>, _io: IO): Promise<void> {
  throw new WixqError('the emulator is not built yet');
}
