#!/usr/bin/env node
// The `formulaire-qf` command. It runs the compiled JavaScript (dist/, made by `npm run build`, which `npm install`
// runs); only in a checkout that was never built does it fall back to the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/formulaire-qf.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('../src/cli/formulaire-qf.ts', import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
