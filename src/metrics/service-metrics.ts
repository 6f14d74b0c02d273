import type { MetricEventKind } from './events.ts';
import type { MetricFamily } from './prometheus.ts';

/**
 * The families of /metrics that are not about HTTP: counted events, upstream calls by outcome (derived from the
 * same events), and gauges of the work waiting (shipments, queue) and of the process.
 */
export function serviceFamilies(input: {
  totals: readonly { kind: MetricEventKind; code: string; count: number }[];
  shipmentsByStatus: readonly { status: string; count: number }[];
  queue: readonly { queue: string; state: string; count: number }[];
}): MetricFamily[] {
  const sum = (kind: MetricEventKind, code?: string) =>
    input.totals.filter((t) => t.kind === kind && (code === undefined || t.code === code)).reduce((s, t) => s + t.count, 0);
  const upstream = (system: string, outcome: string, value: number) => ({ labels: { system, outcome }, value });
  const memory = process.memoryUsage();
  return [
    {
      name: 'formulaire_qf_events_total',
      help: 'Events counted by this process since it started (no personal data).',
      type: 'counter',
      samples: input.totals.map((t) => ({ labels: { kind: t.kind, code: t.code }, value: t.count })),
    },
    {
      name: 'formulaire_qf_upstream_calls_total',
      help: 'Calls to the external systems by outcome, as seen by this process.',
      type: 'counter',
      samples: [
        upstream('franceconnect', 'success', sum('franceconnect.login_succeeded')),
        upstream('franceconnect', 'failure', sum('upstream.failed', 'franceconnect')),
        upstream('api_particulier', 'success', sum('qf.fetched')),
        upstream('api_particulier', 'not_found', sum('qf.not_found')),
        upstream('api_particulier', 'failure', sum('qf.failed')),
        upstream('hubee', 'success', sum('transmission.sent')),
        upstream('hubee', 'failure', sum('upstream.failed', 'hubee')),
      ],
    },
    {
      name: 'formulaire_qf_shipments',
      help: 'Transmissions waiting to be sent or given up, in the database.',
      type: 'gauge',
      samples: input.shipmentsByStatus.map((s) => ({ labels: { status: s.status }, value: s.count })),
    },
    {
      name: 'formulaire_qf_queue_jobs',
      help: 'Jobs of the queue by queue and state.',
      type: 'gauge',
      samples: input.queue.map((q) => ({ labels: { queue: q.queue, state: q.state }, value: q.count })),
    },
    { name: 'process_resident_memory_bytes', help: 'Resident memory size.', type: 'gauge', samples: [{ value: memory.rss }] },
    { name: 'nodejs_heap_used_bytes', help: 'V8 heap in use.', type: 'gauge', samples: [{ value: memory.heapUsed }] },
    { name: 'process_uptime_seconds', help: 'Seconds since the process started.', type: 'gauge', samples: [{ value: Math.round(process.uptime()) }] },
  ];
}
