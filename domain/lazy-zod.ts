// zod, loaded on first use. The action registry carries every action's body schema, and the
// workflow imports the registry; a worker evaluates the workflow's modules for every complaint
// it creates or replays, and building zod there was 30% of that work (`npm run bench`,
// profiled). Schemas are built inside thunks, so zod loads only when a validator first runs
// (validators never run on replay) or when the API starts.
import type { z as Zod } from 'zod';

let loaded: typeof Zod | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zod = (): typeof Zod => (loaded ??= (require('zod') as { z: typeof Zod }).z);

export const z: typeof Zod = new Proxy({} as typeof Zod, { get: (_target, key) => zod()[key as keyof typeof Zod] });

/** A value built on first use and kept. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
