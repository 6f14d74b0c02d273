#!/usr/bin/env node
// The `formulaire-qf` command: runs the TypeScript sources through tsx (a dependency of this package).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./formulaire-qf.ts');
process.exitCode = await main(process.argv.slice(2));
