import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FranceConnectButton } from './components/FranceConnectButton.tsx';
import { ChooseCollectivityPage, MAX_RESULTS } from './pages/ChooseCollectivityPage.tsx';
import { CollectivityPage } from './pages/CollectivityPage.tsx';
import { ConfirmationPage } from './pages/ConfirmationPage.tsx';
import { ErrorPage } from './pages/ErrorPage.tsx';
import { FollowUpPage } from './pages/FollowUpPage.tsx';
import { LoginErrorPage } from './pages/LoginErrorPage.tsx';
import { QfErrorPage } from './pages/QfErrorPage.tsx';
import { ReviewPage, reviewMarkup } from './pages/ReviewPage.tsx';
import { CollectivityNotFoundPage } from './pages/CollectivityNotFoundPage.tsx';
import { Layout } from './layout.tsx';
import { renderPage } from './render.ts';
import { allRenderedPages, belley, identityOf, persona, personas } from './test-support.tsx';

const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
/** Text content, roughly: tags removed, entities of hono's escaping decoded, whitespace collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const pages = allRenderedPages();

describe('every rendered page', () => {
  it('renders a good number of pages', () => assert.ok(pages.length > 40, String(pages.length)));

  for (const page of pages) {
    describe(page.name, () => {
      it('is a French DSFR document with the mandatory furniture', () => {
        const { html } = page;
        assert.ok(html.startsWith('<!doctype html><html lang="fr" data-fr-scheme="system">'));
        assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no"\/>/);
        assert.match(html, /<link rel="stylesheet" href="\/dsfr\/dsfr.min.css"\/>/);
        assert.match(html, /<link rel="stylesheet" href="\/assets\/app.css\?v=[0-9a-f]{10}"\/>/);
        assert.match(html, /<header role="banner" class="fr-header">/);
        assert.match(html, /<p class="fr-logo">République<br\/>Française<\/p>/);
        assert.match(html, /<p class="fr-header__service-title">Formulaire QF<\/p>/);
        assert.match(html, /<main role="main" id="contenu"/);
        assert.match(html, /<footer class="fr-footer" role="contentinfo" id="footer">/);
        assert.match(html, /<div class="fr-skiplinks">/);
        assert.match(html, /href="#contenu"/);
        assert.match(html, /href="#footer"/);
        for (const link of ['info.gouv.fr', 'service-public.fr', 'legifrance.gouv.fr', 'data.gouv.fr']) {
          assert.ok(html.includes(`>${link}</a>`), link);
        }
        for (const link of ['Accessibilité : non conforme', 'Mentions légales', 'Données personnelles', 'CGU', 'FAQ', 'Plan du site']) {
          assert.ok(html.includes(`>${link}</a>`), link);
        }
        assert.ok(html.includes('licence etalab-2.0'));
        assert.ok(html.includes('<script type="module" src="/dsfr/dsfr.module.min.js"></script>'));
        assert.ok(html.includes('<script nomodule="" src="/dsfr/dsfr.nomodule.min.js"></script>'));
      });

      it('has a specific title, prefixed "Erreur - " exactly when it shows an error', () => {
        const t = title(page.html);
        assert.match(t, / - Formulaire QF$/);
        assert.notEqual(t, 'Formulaire QF');
        assert.ok(t.length > ' - Formulaire QF'.length + 3, t);
        assert.equal(t.startsWith('Erreur - '), page.isError, t);
      });

      it('has exactly one h1', () => {
        assert.equal(page.html.match(/<h1[\s>]/g)?.length, 1);
      });

      it('respects the CSP: no inline script, no style attribute or element, no inline handler', () => {
        const scripts = page.html.match(/<script\b[^>]*>/g) ?? [];
        for (const tag of scripts) assert.match(tag, /\ssrc="\/(dsfr|assets)\//, tag);
        assert.doesNotMatch(page.html, /<script\b[^>]*>[^<]+<\/script>/);
        assert.doesNotMatch(page.html, /\sstyle=/);
        assert.doesNotMatch(page.html, /<style[\s>]/);
        assert.doesNotMatch(page.html, /\son[a-z]+=/);
        assert.doesNotMatch(page.html, /javascript:/i);
      });

      it('is laid out for small screens with the DSFR grid and stays light', () => {
        assert.match(page.html, /class="fr-container/);
        assert.match(page.html, /fr-col-12/);
        assert.ok(Buffer.byteLength(page.html) < 100_000, `${Buffer.byteLength(page.html)} bytes`);
      });

      it('gives unique ids', () => {
        const ids = [...page.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
        assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
      });

      it('labels every visible form field and links every aria reference', () => {
        const ids = new Set([...page.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
        for (const input of page.html.match(/<input\b[^>]*>/g) ?? []) {
          if (input.includes('type="hidden"')) continue;
          const id = /\sid="([^"]+)"/.exec(input)?.[1];
          assert.ok(id && page.html.includes(`<label class="fr-label" for="${id}">`), input);
        }
        for (const m of page.html.matchAll(/aria-(?:describedby|controls|labelledby)="([^"]+)"/g)) {
          for (const ref of m[1]!.split(' ')) assert.ok(ids.has(ref), `missing #${ref}`);
        }
      });

      it('opens new windows safely and says so', () => {
        for (const a of page.html.match(/<a\b[^>]*target="_blank"[^>]*>/g) ?? []) {
          assert.match(a, /rel="noopener/, a);
          assert.match(a, /title="[^"]+ - nouvelle fenêtre"/, a);
        }
      });
    });
  }
});

describe('FranceConnectButton', () => {
  it('is exactly the DSFR connect markup inside a POST form', () => {
    const html = FranceConnectButton({
      action: '/auth/franceconnect',
      csrfToken: 'tok',
      hiddenFields: { siret: '21010034300016', external_id: undefined },
    }).toString();
    assert.equal(
      html,
      '<div class="fr-connect-group"><form method="post" action="/auth/franceconnect">' +
        '<input type="hidden" name="_csrf" value="tok"/>' +
        '<input type="hidden" name="siret" value="21010034300016"/>' +
        '<button class="fr-connect" type="submit"><span class="fr-connect__login">S’identifier avec</span> <span class="fr-connect__brand">FranceConnect</span></button>' +
        '<p><a href="https://franceconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre">Qu’est-ce que FranceConnect ?</a></p>' +
        '</form></div>',
    );
  });
});

describe('Layout', () => {
  it('shows "Se déconnecter" as a CSRF-protected POST form only when logged in', () => {
    const out = renderPage(Layout({ title: 'Test', children: 'x' }));
    assert.doesNotMatch(out, /Se déconnecter/);
    const inn = renderPage(Layout({ title: 'Test', session: { loggedIn: true, logoutCsrfToken: 'abc' }, children: 'x' }));
    const forms = inn.match(/<form method="post" action="\/auth\/franceconnect\/logout"[^>]*><input type="hidden" name="_csrf" value="abc"\/><button type="submit"[^>]*>Se déconnecter<\/button><\/form>/g);
    assert.equal(forms?.length, 2, 'one for large screens, one visible on small screens');
  });

  it('prefixes error titles', () => {
    assert.match(renderPage(Layout({ title: 'Page', isError: true })), /<title>Erreur - Page - Formulaire QF<\/title>/);
  });
});

describe('ChooseCollectivityPage', () => {
  it('is a labelled GET search form', () => {
    const html = renderPage(ChooseCollectivityPage({ query: '', results: [], total: 0 }));
    assert.match(html, /<form method="get" action="\/collectivites"/);
    assert.match(html, /<label class="fr-label" for="recherche-collectivite">Nom, code postal ou département<\/label>/);
    assert.match(html, /name="q"/);
    assert.match(html, /<title>Choisir ma collectivité - Formulaire QF<\/title>/);
    assert.match(html, /src="\/assets\/search.js\?v=/);
  });

  it('lists at most 20 links and asks to refine', () => {
    const results = Array.from({ length: 30 }, (_, i) => ({ ...belley, siret: `2101003430${String(i).padStart(4, '0')}`, name: `Commune ${i}` }));
    const html = renderPage(ChooseCollectivityPage({ query: 'com', results, total: 1234 }));
    assert.equal(html.match(/href="\/collectivites\/\d{14}"/g)?.length, MAX_RESULTS);
    assert.ok(text(html).includes('1 234 collectivités correspondent à votre recherche. Voici les 20 premières : précisez votre recherche'));
    assert.ok(text(html).includes('01300 – département 01'));
  });

  it('says when nothing matched and points to the alternatives', () => {
    const html = renderPage(ChooseCollectivityPage({ query: 'zzz', results: [], total: 0 }));
    assert.ok(text(html).includes('Aucune collectivité ne correspond à votre recherche.'));
    assert.ok(text(html).includes('Votre collectivité n’apparaît pas ?'));
    assert.ok(text(html).includes('Elle n’a peut-être pas encore adhéré au service'));
    assert.match(html, /href="\/sans-franceconnect"/);
  });

  it('marks a too-short query as an error on the field', () => {
    const html = renderPage(ChooseCollectivityPage({ query: 'b', results: [], total: 0, tooShort: true }));
    assert.match(html, /<title>Erreur - Choisir ma collectivité - Formulaire QF<\/title>/);
    assert.match(html, /aria-invalid="true"/);
    assert.match(html, /fr-message--error/);
  });

  it('escapes the query and names', () => {
    const html = renderPage(
      ChooseCollectivityPage({ query: '"><script>alert(1)</script>', results: [{ ...belley, name: '<script>x</script>' }], total: 1 }),
    );
    assert.doesNotMatch(html, /<script>/);
    assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;'));
  });
});

describe('CollectivityPage', () => {
  const html = renderPage(
    CollectivityPage({
      collectivity: belley,
      csrfToken: 'csrf"<',
      externalId: 'DOSSIER-42',
      redirectUri: 'https://www.belley.fr/retour?a=1&b=2',
    }),
  );

  it('posts to FranceConnect with the hidden fields, escaped', () => {
    assert.match(html, /<form method="post" action="\/auth\/franceconnect">/);
    assert.ok(html.includes('<input type="hidden" name="_csrf" value="csrf&quot;&lt;"/>'));
    assert.ok(html.includes('<input type="hidden" name="siret" value="21010034300016"/>'));
    assert.ok(html.includes('<input type="hidden" name="external_id" value="DOSSIER-42"/>'));
    assert.ok(html.includes('<input type="hidden" name="redirect_uri" value="https://www.belley.fr/retour?a=1&amp;b=2"/>'));
  });

  it('says who receives what and offers this commune’s page without FranceConnect, with one heading per name', () => {
    const t = text(html);
    assert.ok(t.includes('Transmettre mon quotient familial à Belley'));
    assert.ok(t.includes('FranceConnect'));
    assert.ok(t.includes('CAF ou la MSA'));
    assert.match(html, /<a class="fr-link" href="\/collectivites\/21010034300016\/sans-franceconnect">Vous n’utilisez pas FranceConnect \?<\/a>/);
    assert.doesNotMatch(t, /Partager cette démarche/, 'the sharing block is for the commune, in its own space');
    const headings = [...html.matchAll(/<h[1-6][^>]*>([^<]+)</g)].map((m) => m[1]!.trim());
    assert.deepEqual(headings.filter((h, i) => headings.indexOf(h) !== i), [], 'no heading twice');
    assert.equal(headings.filter((h) => h === 'Me connecter').length, 1);
  });

  it('shows the contact the commune set, escaped', () => {
    const withContact = renderPage(
      CollectivityPage({
        collectivity: belley,
        csrfToken: 't',
        familyInfo: { serviceName: 'Service <enfance>', phone: '04 79 00 00 00', email: null, address: null, openingHours: null, withoutFranceConnectText: null },
      }),
    );
    assert.ok(withContact.includes('Service &lt;enfance&gt;'));
    assert.ok(withContact.includes('href="tel:0479000000"'));
    assert.doesNotMatch(withContact, /name="external_id"|name="redirect_uri"/);
  });
});

describe('CollectivityNotFoundPage', () => {
  it('is an error page linking to the search', () => {
    const html = renderPage(CollectivityNotFoundPage({ siret: '<b>1</b>' }));
    assert.match(html, /<title>Erreur - Collectivité non trouvée - Formulaire QF<\/title>/);
    assert.match(html, /href="\/collectivites"/);
    assert.ok(html.includes('&lt;b&gt;1&lt;/b&gt;'));
  });
});

describe('ReviewPage', () => {
  const render = (login: string, name = 'Belley') => {
    const p = persona(login);
    return renderPage(ReviewPage({ collectivityName: name, identity: identityOf(p), qf: p.qf.data ?? {}, csrfToken: 'tok' }));
  };

  it('shows the identité pivot and the CNAF QF of angela', () => {
    const html = render('angela');
    const t = text(html);
    assert.match(html, /<h1>Je relis et transmets mes données à Belley<\/h1>/);
    assert.match(html, /<title>Je relis et transmets mes données à Belley - Formulaire QF<\/title>/);
    for (const expected of ['DUBOIS', 'Angela Claire Louise', 'Féminin', '24/08/1962', 'Paris 7e Arrondissement (75)', 'France', '2 550 € par mois', 'février 2024', 'la CAF (caisse d’allocations familiales)', 'Date du calcul', 'ANGELA CLAIRE LOUISE']) {
      assert.ok(t.includes(expected), expected);
    }
    assert.ok(!t.includes('INSEE'), 'no code a parent cannot check');
    assert.ok(/Enfants <\/h3> <p>Aucun<\/p>|Enfants\s*<\/h3>\s*<p>Aucun/.test(html) || t.includes('Enfants Aucun'));
    assert.ok(t.includes('HubEE'));
    assert.match(html, /<form method="post" action="\/transmission" class="fr-mb-3w"><input type="hidden" name="_csrf" value="tok"\/><button type="submit" class="fr-btn fr-btn--lg">Transmettre les données à la collectivité<\/button><\/form>/);
    assert.match(html, /Annuler et me déconnecter/);
    assert.match(html, /Se déconnecter/);
  });

  it('comes from its template for every persona, each structure checked once against the page rendered directly', () => {
    for (const today of [new Date('2024-03-15'), new Date('2030-01-01')]) {
      for (const name of ['Belley', 'L’Haÿ-les-Roses & <Cie>']) {
        for (const p of personas) {
          const html = renderPage(ReviewPage({ collectivityName: name, identity: identityOf(p), qf: p.qf.data ?? {}, csrfToken: 'tok', firstName: 'Prénom', today }));
          assert.ok(html.includes(name.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')));
        }
      }
    }
    assert.equal(reviewMarkup.unsoundShapes(), 0);
  });

  it('shows a QF value API Particulier wrote as text ("2550") as the amount it is', () => {
    const p = persona('angela');
    const data = p.qf.data ?? {};
    const qf = { ...data, quotient_familial: { ...data.quotient_familial, valeur: '2550' } };
    const t = text(renderPage(ReviewPage({ collectivityName: 'Belley', identity: identityOf(p), qf, csrfToken: 't' })));
    assert.ok(t.includes('2 550 € par mois'));
    assert.ok(!t.includes('la valeur du quotient familial'), 'not reported missing');
    assert.match(t, /Transmettre les données/);
  });

  it('shows the MSA QF, the allocataires and the children of jeanne', () => {
    const t = text(render('jeanne'));
    for (const expected of ['150 €', 'mai 2023', 'la MSA (Mutualité sociale agricole)', 'LOIC NATHAN', 'ALEXIS VINCENT', 'FLEUR EDITH', '20/04/2016', 'Masculin']) {
      assert.ok(t.includes(expected), expected);
    }
    assert.ok(!t.includes('la CAF (caisse'), 'the MSA, not the CAF');
  });

  it('names the country of birth of vincent, born abroad', () => {
    const t = text(render('vincent'));
    assert.ok(t.includes('Hors de France'));
    assert.ok(t.includes('Algérie'));
    assert.ok(!t.includes('99352'));
  });

  it('says that a QF computed months ago may be old, and not for a recent one', () => {
    const p = persona('angela');
    const qf = p.qf.data ?? {};
    const page = (today: Date) => text(renderPage(ReviewPage({ collectivityName: 'Belley', identity: identityOf(p), qf, csrfToken: 't', today })));
    assert.match(page(new Date('2026-12-01T10:00:00Z')), /il peut donc être ancien/);
    assert.doesNotMatch(page(new Date('2024-03-10T10:00:00Z')), /il peut donc être ancien/);
  });

  it('shows the nom d’usage and escapes odd names', () => {
    assert.ok(text(render('cindy')).includes('nom d’usage : MEUBLE'));
    assert.ok(render('olivier').includes('ANO&#39;NYMOS-LONS'));
    const p = persona('angela');
    const html = renderPage(
      ReviewPage({
        collectivityName: '<script>alert("x")</script>',
        identity: { ...identityOf(p), family_name: '<script>alert(1)</script>' },
        qf: p.qf.data ?? {},
        csrfToken: 'tok',
      }),
    );
    assert.doesNotMatch(html, /<script>alert/);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('says "Non précisé", and "Non communiqué" for lists the caisse did not give, "Aucun" for empty ones', () => {
    const html = renderPage(ReviewPage({ collectivityName: 'Belley', identity: identityOf(persona('camille')), qf: {}, csrfToken: 't' }));
    const t = text(html);
    assert.ok(t.includes('Non précisé'));
    assert.equal(html.match(/<p>Non communiqué<\/p>/g)?.length, 2);
    assert.ok(t.includes('la liste des allocataires, la liste des enfants'), 'the family is told what is missing');
    const empty = renderPage(ReviewPage({ collectivityName: 'Belley', identity: identityOf(persona('camille')), qf: { ...persona('angela').qf.data, enfants: [] }, csrfToken: 't' }));
    assert.equal(empty.match(/<p>Aucun<\/p>/g)?.length, 1);
  });

  it('shows what it understands of an odd answer and says what is missing, without refusing it', () => {
    const odd = {
      quotient_familial: { fournisseur: 'CNAF', valeur: 2550.5, annee: 2024, mois: 2, nouveau_champ: 'x' },
      allocataires: [{ nom_naissance: 'DUBOIS', nom_usage: null, prenoms: null, date_naissance: '1962-8-24', sexe: 'F' }],
      enfants: [],
    };
    const html = renderPage(ReviewPage({ collectivityName: 'Belley', identity: { ...identityOf(persona('angela')), birthplace: null }, qf: odd, csrfToken: 't' }));
    const t = text(html);
    assert.ok(t.includes('550,5'));
    assert.ok(t.includes('février 2024'));
    assert.ok(t.includes('une partie de l’identité d’un allocataire'));
    assert.ok(t.includes('Date de naissance : 1962-8-24'), 'an odd date is shown as received');
    assert.ok(t.includes('Non communiqué par FranceConnect'), 'a null birthplace is said so');
    assert.ok(html.includes('Transmettre les données à la collectivité'), 'the family can still transmit');
  });
});

describe('QfErrorPage', () => {
  it('explains each kind, with alternatives and an "Erreur - " title', () => {
    const kinds = ['not_found', 'dossier_absent_cnaf', 'dossier_absent_msa', 'not_found_other', 'provider_unavailable', 'rate_limited', 'timeout', 'qf_unusable', 'unexpected'] as const;
    const headings = new Set<string>();
    for (const kind of kinds) {
      const html = renderPage(QfErrorPage({ kind, collectivityName: 'Belley', restartUrl: '/collectivites/21010034300016', session: { loggedIn: true, logoutCsrfToken: 't' } }));
      assert.match(title(html), /^Erreur - /);
      headings.add(/<h1>([^<]+)<\/h1>/.exec(html)![1]!);
      const t = text(html);
      assert.ok(t.includes('caf.fr') && t.includes('msa.fr') && t.includes('Mes attestations'), kind);
      assert.match(html, /href="\/sans-franceconnect"/);
      assert.ok(t.includes('Belley'));
    }
    assert.equal(headings.size, kinds.length, 'one explanation per kind');
    const unavailable = text(renderPage(QfErrorPage({ kind: 'provider_unavailable', collectivityName: 'Belley', session: { loggedIn: true, logoutCsrfToken: 't' } })));
    assert.ok(unavailable.includes('Réessayez plus tard'));
    assert.ok(unavailable.includes('Réessayer'));
    assert.ok(text(renderPage(QfErrorPage({ kind: 'dossier_absent_cnaf', collectivityName: 'Belley' }))).includes('La CAF'));
    assert.ok(text(renderPage(QfErrorPage({ kind: 'dossier_absent_msa', collectivityName: 'Belley' }))).includes('La MSA'));
  });
});

describe('LoginErrorPage', () => {
  it('explains each kind and offers to start again', () => {
    const kinds = ['access_denied', 'invalid_acr', 'provider_error', 'state_mismatch', 'expired', 'invalid_response', 'unreachable', 'cookies'] as const;
    const headings = new Set<string>();
    for (const kind of kinds) {
      const html = renderPage(LoginErrorPage({ kind }));
      assert.match(title(html), /^Erreur - /);
      headings.add(/<h1>([^<]+)<\/h1>/.exec(html)![1]!);
      assert.match(html, /<a class="fr-btn" href="\/collectivites">Recommencer la démarche<\/a>/);
    }
    assert.equal(headings.size, kinds.length);
    assert.ok(text(renderPage(LoginErrorPage({ kind: 'expired' }))).includes('30 minutes'));
    assert.ok(text(renderPage(LoginErrorPage({ kind: 'cookies' }))).includes('cookies'));
    assert.ok(text(renderPage(LoginErrorPage({ kind: 'access_denied' }))).includes('annulé'));
  });
});

describe('ConfirmationPage', () => {
  it('gives the reference, the return button and the follow-up link', () => {
    const html = renderPage(
      ConfirmationPage({ collectivityName: 'Belley', reference: '3F9A0C12B7E4D', followUpUrl: '/suivi/3F9A0C12B7E4D', redirectUri: 'https://www.belley.fr/?a=1&b=2', queued: false }),
    );
    const t = text(html);
    assert.ok(t.includes('Vos informations ont bien été transmises à Belley'));
    assert.ok(t.includes('Identifiant de votre démarche'));
    assert.match(html, /<p class="fr-callout__text fqf-reference">3F9A\u00a00C12\u00a0B7E4D<\/p>/, 'the reference in groups');
    assert.doesNotMatch(html, /récapitulatif\.pdf/, 'no récapitulatif without its data');
    const withRecap = renderPage(ConfirmationPage({ collectivityName: 'Belley', reference: '3F9A0C12B7E4D', followUpUrl: '/suivi/3F9A0C12B7E4D', queued: false, recapitulatifUrl: '/confirmation/recapitulatif.pdf' }));
    assert.match(withRecap, /<a class="fr-link fr-link--download" href="\/confirmation\/recapitulatif.pdf" download="">Télécharger le récapitulatif/);
    assert.match(html, /<a class="fr-btn" href="https:\/\/www.belley.fr\/\?a=1&amp;b=2">Retourner sur le site de ma collectivité<\/a>/);
    assert.match(html, /href="\/suivi\/3F9A0C12B7E4D"/);
    assert.doesNotMatch(title(html), /Erreur/);
  });

  it('is still a success page when the transmission is queued, and has no return button without redirectUri', () => {
    const html = renderPage(ConfirmationPage({ collectivityName: 'Belley', reference: 'R', followUpUrl: '/suivi/R', queued: true }));
    assert.ok(text(html).includes('Votre demande est enregistrée : elle sera transmise à Belley dès que possible'));
    assert.doesNotMatch(title(html), /Erreur/);
    assert.doesNotMatch(html, /Retourner sur le site/);
  });
});

describe('FollowUpPage', () => {
  const labels = {
    pending: 'en cours d',
    SENT: 'transmise',
    SI_RECEIVED: 'reçue par la commune',
    IN_PROGRESS: 'en cours de traitement',
    DONE: 'traitée',
    REFUSED: 'refusée',
    failed: 'échec de l',
  } as const;
  for (const [status, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
    it(`shows "${label}" for ${status}, dates in Paris time, nothing personal`, () => {
      const html = renderPage(
        FollowUpPage({ reference: '3F9A0C12B7E4D', collectivityName: 'Belley', status, history: [{ status, at: new Date('2024-03-12T13:05:00Z') }] }),
      );
      const t = text(html);
      assert.match(html, new RegExp(`<span class="fr-badge[^"]*">${label}`));
      assert.ok(t.includes('12 mars 2024 à 14:05'), 'Europe/Paris (UTC+1 in March)');
      assert.ok(t.includes('3F9A 0C12 B7E4D'), 'the reference in groups');
      assert.doesNotMatch(html, /<ol class="fqf-history"/, 'newest first: not numbered');
      assert.doesNotMatch(t, /d'envoi|l'envoi/, 'typographic apostrophes');
      if (status === 'failed') assert.ok(t.includes('Recommencez la démarche') && t.includes('contactez Belley'));
    });
  }
  it('uses summer time too', () => {
    const html = renderPage(FollowUpPage({ reference: 'R', collectivityName: 'B', status: 'DONE', history: [{ status: 'DONE', at: new Date('2024-07-01T22:30:00Z') }] }));
    assert.ok(text(html).includes('2 juillet 2024 à 00:30'));
  });
});

describe('ErrorPage', () => {
  it('has defaults per status, CSRF included', () => {
    const csrf = renderPage(ErrorPage({ status: 403 }));
    assert.match(csrf, /<title>Erreur - Formulaire expiré - Formulaire QF<\/title>/);
    assert.ok(text(csrf).includes('Le formulaire a expiré, rechargez la page'));
    assert.match(renderPage(ErrorPage({ status: 404 })), /<title>Erreur - Page non trouvée - Formulaire QF<\/title>/);
    const custom = renderPage(ErrorPage({ status: 400, title: 'Lien <invalide>', message: 'Message' }));
    assert.match(custom, /<title>Erreur - Lien &lt;invalide&gt; - Formulaire QF<\/title>/);
  });
});

describe('FollowUpPage, the commune’s answer', () => {
  it('shows the commune’s message beside the status, escaped, its paragraphs kept', () => {
    const html = renderPage(
      FollowUpPage({
        reference: '3F9A0C12B7E4D',
        collectivityName: 'Belley',
        status: 'REFUSED',
        history: [],
        communeMessage: { text: 'Pièce manquante <script>alert(1)</script>\n\nVenez en mairie.', at: new Date('2024-03-12T13:05:00Z') },
      }),
    );
    assert.match(html, /<h2 id="message-commune">Message de Belley<\/h2>/);
    assert.ok(html.includes('Pièce manquante &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /<p>Venez en mairie.<\/p>/);
    assert.ok(text(html).includes('Écrit le 12 mars 2024 à 14:05'));
  });

  it('shows the commune’s own contact when set, else where to find its town hall', () => {
    const own = renderPage(
      FollowUpPage({
        reference: 'R', collectivityName: 'Belley', status: 'DONE', history: [], collectivityPostalCode: '01300',
        familyInfo: { serviceName: 'Accueil', phone: '04 79 00 00 00', email: null, address: null, openingHours: null, withoutFranceConnectText: null },
      }),
    );
    assert.ok(text(own).includes('04 79 00 00 00'));
    assert.doesNotMatch(own, /lannuaire/);
    const fallback = renderPage(FollowUpPage({ reference: 'R', collectivityName: 'Belley', status: 'DONE', history: [], collectivityPostalCode: '01300', familyInfo: null }));
    assert.ok(text(fallback).includes('Adressez-vous à la mairie de Belley (01300)'));
    assert.match(fallback, /href="https:\/\/lannuaire.service-public.gouv.fr\/"/);
    assert.doesNotMatch(fallback, /message-commune/, 'no message block without a message');
  });
});

describe('FollowUpPage sentences', () => {
  it('starts a sentence with a capital even when the name is a common noun', () => {
    const html = renderPage(FollowUpPage({ reference: 'R', collectivityName: 'la collectivité', status: 'SI_RECEIVED', history: [] }));
    assert.ok(text(html).includes('La collectivité a bien reçu votre demande.'));
  });
});
