/** The ceiling of the page benchmark: a bare Fastify answering "hello", in a process of its own like the app. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => 'hello');
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: address })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
