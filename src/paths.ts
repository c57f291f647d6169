import { fileURLToPath } from 'node:url';

/**
 * Where things are on disk, the same whether the code runs from its TypeScript sources (tsx,
 * vitest, the sandbox) or compiled into dist/ (`npm start`, the image).
 */

/** True when this is the compiled JavaScript in dist/. */
export const COMPILED = import.meta.url.endsWith('.js');

/** The extension of the code's own modules as they run: `.js` compiled, `.ts` from the sources. */
export const CODE_EXT = COMPILED ? '.js' : '.ts';

/** The folder whose src/ and migrations/ are the running code: the checkout, or dist/ when compiled. */
export const CODE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The folder with package.json and node_modules: the checkout, or /app in the image. */
export const APP_ROOT = fileURLToPath(new URL(COMPILED ? '../../' : '../', import.meta.url));
