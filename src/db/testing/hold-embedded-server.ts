import { startEmbeddedPostgres } from '../embedded-postgres.ts';

/** For the embedded server's tests: starts the server of the folder given as argument, prints its URL, then waits to be killed. */
const server = await startEmbeddedPostgres({ dataDir: process.argv[2]! });
process.stdout.write(`${server.url}\n`);
setInterval(() => {}, 60_000);
