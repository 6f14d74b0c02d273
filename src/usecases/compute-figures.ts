import type { DayPeriod, FiguresRepository } from '../db/repositories/figures.ts';
import type { ShipmentStatusColumn } from '../db/schema.ts';
import type { MetricEventKind } from '../metrics/events.ts';

export interface CountByCode {
  code: string;
  count: number;
}

/** The operator's figures for a period: counts, never people. */
export interface Figures {
  period: DayPeriod;
  pageViews: CountByCode[];
  journeysStarted: number;
  journeysPerDay: { day: string; count: number }[];
  franceConnect: { succeeded: number; refused: CountByCode[] };
  qf: { fetched: number; notFound: CountByCode[]; failed: CountByCode[] };
  transmissions: { recorded: number; sent: number; retried: number; failed: number };
  shipmentsByStatus: { status: ShipmentStatusColumn; count: number }[];
  byCollectivity: { siret: string; name: string | null; journeysStarted: number; shipments: number; sent: number }[];
  firstAction: { count: number; medianSeconds: number | null };
  upstreamFailures: CountByCode[];
}

const TOP_COLLECTIVITIES = 50;

export async function computeFigures(repository: FiguresRepository, period: DayPeriod): Promise<Figures> {
  const [totals, journeysPerDay, shipmentsByStatus, shipments, started, firstAction] = await Promise.all([
    repository.eventTotals(period),
    repository.eventsPerDay(period, 'journey.started'),
    repository.shipmentsByStatus(period),
    repository.shipmentsByCollectivity(period, TOP_COLLECTIVITIES),
    repository.eventsPerCollectivity(period, ['journey.started']),
    repository.firstActionDelay(period),
  ]);
  const byCode = (kind: MetricEventKind): CountByCode[] =>
    totals.filter((t) => t.kind === kind).map((t) => ({ code: t.code === '' ? 'inconnu' : t.code, count: t.count })).sort((a, b) => b.count - a.count);
  const total = (kind: MetricEventKind): number => byCode(kind).reduce((sum, c) => sum + c.count, 0);

  const startedBySiret = new Map(started.map((s) => [s.siret, s.count]));
  const rows = new Map(shipments.map((s) => [s.siret, { siret: s.siret, name: s.name, journeysStarted: startedBySiret.get(s.siret) ?? 0, shipments: s.count, sent: s.sent }]));
  // Collectivities where journeys started but nothing was transmitted matter too (abandons).
  for (const [siret, count] of startedBySiret) {
    if (!rows.has(siret)) rows.set(siret, { siret, name: null, journeysStarted: count, shipments: 0, sent: 0 });
  }
  const byCollectivity = [...rows.values()]
    .sort((a, b) => b.shipments - a.shipments || b.journeysStarted - a.journeysStarted || a.siret.localeCompare(b.siret))
    .slice(0, TOP_COLLECTIVITIES);

  return {
    period,
    pageViews: byCode('page.viewed'),
    journeysStarted: total('journey.started'),
    journeysPerDay: everyDay(period, journeysPerDay),
    franceConnect: { succeeded: total('franceconnect.login_succeeded'), refused: byCode('franceconnect.login_refused') },
    qf: { fetched: total('qf.fetched'), notFound: byCode('qf.not_found'), failed: byCode('qf.failed') },
    transmissions: {
      recorded: total('transmission.recorded'),
      sent: total('transmission.sent'),
      retried: total('transmission.retried'),
      failed: total('transmission.failed'),
    },
    shipmentsByStatus,
    byCollectivity,
    firstAction,
    upstreamFailures: byCode('upstream.failed'),
  };
}

/** Every day of the period, 0 where nothing was counted: a day without journeys is data, not a missing bar. */
export function everyDay(period: DayPeriod, counted: readonly { day: string; count: number }[]): { day: string; count: number }[] {
  const byDay = new Map(counted.map((c) => [c.day, c.count]));
  const days: { day: string; count: number }[] = [];
  for (let at = new Date(`${period.from}T00:00:00Z`); at.toISOString().slice(0, 10) <= period.to; at = new Date(at.getTime() + 86_400_000)) {
    const day = at.toISOString().slice(0, 10);
    days.push({ day, count: byDay.get(day) ?? 0 });
  }
  return days;
}

/** The period asked in the form, or the last 30 days; null when the dates are not valid. */
export function parsePeriod(from: unknown, to: unknown, today: Date = new Date()): DayPeriod | null {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const defaultTo = day(today);
  const defaultFrom = day(new Date(today.getTime() - 29 * 24 * 3600 * 1000));
  const f = typeof from === 'string' && from !== '' ? from : defaultFrom;
  const t = typeof to === 'string' && to !== '' ? to : defaultTo;
  if (!isDay(f) || !isDay(t) || f > t) return null;
  // A bound on the span keeps the queries cheap (13 months is what the counters keep anyway).
  if (Date.parse(t) - Date.parse(f) > 400 * 24 * 3600 * 1000) return null;
  return { from: f, to: t };
}

function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}
