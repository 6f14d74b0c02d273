// Preloaded into the production build by its test (`node --import`): writes every module URL the process loaded to
// the file MODULES_LOG when it exits, so that the test can check that no module of the sandbox was among them.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    loaded.add(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.MODULES_LOG, [...loaded].join('\n')));
