import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Fault, FaultPlan, FaultTarget } from './registry.ts';

export interface FaultHookOptions {
  plan: FaultPlan;
  /** Which request this is, or null for requests no fault touches. */
  targetOf(request: FastifyRequest): FaultTarget | null;
  /** The system's own status and body for an error fault; null for the kinds that are not an answer. */
  errorAnswer(fault: Fault): { status: number; body: unknown; headers?: Record<string, string> } | null;
  /** How long `timeout` holds and `succeed_late` delays when the rule does not say: beyond its client's wait. */
  defaultDelayMs(request: FastifyRequest): number;
}

/**
 * Plays the fault plan on the routes of `scope` (call it before registering them). Faults that must not touch
 * the system's state act before the handler; `succeed_late` lets the handler run and delays the answer.
 */
export function injectFaults(scope: FastifyInstance, options: FaultHookOptions): void {
  const late = new WeakMap<FastifyRequest, number>();
  const holds = new Set<() => void>();

  /** Waits `ms`, or less if the client hangs up first or the server closes. */
  const hold = (ms: number, socket: Socket) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        socket.off('close', done);
        holds.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      socket.once('close', done);
      holds.add(done);
    });

  const drop = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  };

  // After parsing, so that a rule can tell a completion from another PATCH of the folder.
  scope.addHook('preHandler', async (request, reply) => {
    const target = options.targetOf(request);
    if (target === null) return;
    const fault = options.plan.draw(target);
    if (fault === null) return;
    const delayMs = fault.delayMs ?? options.defaultDelayMs(request);
    switch (fault.kind) {
      case 'reset':
        return drop(request, reply);
      case 'timeout':
        await hold(delayMs, request.raw.socket);
        return drop(request, reply);
      case 'succeed_late':
        late.set(request, delayMs);
        return;
      default: {
        const answer = options.errorAnswer(fault);
        if (answer === null) throw new Error(`No answer for the fault ${fault.kind}`);
        return reply.code(answer.status).headers(answer.headers ?? {}).send(answer.body);
      }
    }
  });

  scope.addHook('onSend', async (request, _reply, payload) => {
    const delayMs = late.get(request);
    if (delayMs !== undefined) await hold(delayMs, request.raw.socket);
    return payload;
  });

  // A held request must not keep the server from closing.
  scope.addHook('onClose', async () => {
    for (const release of [...holds]) release();
  });
}
