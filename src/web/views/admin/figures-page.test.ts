import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { everyDay, type Figures } from '../../../usecases/compute-figures.ts';
import { renderPage } from '../render.ts';
import { FiguresPage } from './FiguresPage.tsx';

const figures: Figures = {
  period: { from: '2026-11-01', to: '2026-11-03' },
  pageViews: [],
  journeysStarted: 200,
  journeysPerDay: everyDay({ from: '2026-11-01', to: '2026-11-03' }, [{ day: '2026-11-02', count: 200 }]),
  franceConnect: { succeeded: 150, refused: [{ code: 'access_denied', count: 50 }] },
  qf: { fetched: 120, notFound: [{ code: '35003', count: 20 }], failed: [{ code: 'timeout', count: 10 }] },
  transmissions: { recorded: 100, sent: 98, retried: 3, failed: 1 },
  shipmentsByStatus: [
    { status: 'pending', count: 2 },
    { status: 'failed', count: 1 },
  ],
  byCollectivity: [{ siret: '21040107100019', name: 'Majastres', journeysStarted: 200, shipments: 100, sent: 98 }],
  firstAction: { count: 0, medianSeconds: null },
  upstreamFailures: [{ code: 'hubee', count: 4 }],
};

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const operator = { name: 'Sacha LEROY', email: 'exploitation@formulaire-qf.beta.gouv.fr', role: 'administrateur', csrfToken: 'jeton' } as const;

describe('the back office’s first screen', () => {
  const alerts = { failingWebhooks: 2, stuckOnboardings: 1, upstreamFailures: 4, upstreamSince: new Date('2026-11-03T10:00:00Z') };
  const html = renderPage(FiguresPage({ figures, alerts, from: '2026-11-01', to: '2026-11-03', operator, invalidPeriod: false }));
  const t = text(html);

  it('puts the alerts with their counts, then the funnel with percentages, before the date picker', () => {
    assert.ok(t.indexOf('À traiter') < t.indexOf('Parcours des familles') && t.indexOf('Parcours des familles') < t.indexOf('Période'), 'order');
    for (const alert of [
      '2 transmissions en attente d’envoi',
      '1 transmission abandonnée',
      '2 webhooks en échec',
      '1 raccordement bloqué',
      '4 échecs d’appel aux services partenaires depuis 11 h 00',
    ]) {
      assert.ok(t.includes(alert), alert);
    }
    assert.match(html, /<a href="\/admin\/webhooks">2 webhooks en échec<\/a>/);
    assert.match(html, /<a href="\/admin\/raccordements">1 raccordement bloqué/);
    for (const step of ['200 Démarches commencées 100 %', '150 Connectés avec FranceConnect 75 %', '120 QF obtenu 60 %', '100 Transmis à la collectivité 50 %']) assert.ok(t.includes(step), step);
  });

  it('shows what fails now even when the period asked is invalid, and says when nothing does', () => {
    const invalid = text(renderPage(FiguresPage({ figures: null, alerts, from: 'x', to: 'y', operator, invalidPeriod: true })));
    assert.ok(invalid.includes('2 webhooks en échec'));
    const calm = text(renderPage(FiguresPage({ figures: { ...figures, shipmentsByStatus: [] }, alerts: { ...alerts, failingWebhooks: 0, stuckOnboardings: 0, upstreamFailures: 0 }, from: 'a', to: 'b', operator, invalidPeriod: false })));
    assert.ok(calm.includes('Aucune alerte') && !calm.includes('À traiter'));
  });

  it('gives each error code its meaning, and the commune’s name beside its SIRET', () => {
    assert.ok(t.includes('35003 – ni la CAF ni la MSA ne connaît la personne'));
    assert.ok(t.includes('access_denied – connexion annulée par l’usager'));
    assert.ok(t.includes('timeout – délai de réponse dépassé'));
    assert.match(t, /Majastres 21040107100019/);
  });

  it('has the back office’s own header and footer, not the citizens’', () => {
    assert.ok(t.includes('Formulaire QF – Administration'));
    assert.doesNotMatch(html, /legifrance|Accessibilité : non conforme/);
  });
});

describe('days in the charts', () => {
  it('are all there, zero where nothing was counted', () => {
    assert.deepEqual(everyDay({ from: '2026-10-30', to: '2026-11-02' }, [{ day: '2026-10-31', count: 4 }]), [
      { day: '2026-10-30', count: 0 },
      { day: '2026-10-31', count: 4 },
      { day: '2026-11-01', count: 0 },
      { day: '2026-11-02', count: 0 },
    ]);
  });
});
