import { enableCompileCache } from 'node:module';

/**
 * `npm start` and `node dist/main.js`. V8's compiled code of every module is kept on disk between starts (Node's
 * compile cache, in the system's temporary folder): a later start, or another instance on the same machine, skips
 * most of the parsing and compiling of about 1,600 modules (measured locally, stand-ins included). It must be on before they load, hence this entry that
 * imports the service only then; where the folder cannot be written, Node goes on without it.
 */
enableCompileCache();
await import('./run-service.ts');
