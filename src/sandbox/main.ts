/** `npm run sandbox -- [options]`: the same as `formulaire-qf sandbox` (see cli.ts). */
import { sandboxCommand } from './cli.ts';

process.exitCode = await sandboxCommand(process.argv.slice(2));
