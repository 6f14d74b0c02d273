import type { IdentitePivot } from '../../../domain/identite-pivot.ts';
import { readQuotientFamilial, type PersonReading, type QuotientFamilialData } from '../../../domain/quotient-familial.ts';
import { LogoutButton } from '../components/LogoutButton.tsx';
import { Stepper } from '../components/Stepper.tsx';
import { monthYear, NOT_GIVEN, providerName, qfAmount, qfMayBeOld } from '../../../domain/qf-in-words.ts';
import { birthcountryLabel, birthplaceLabel, genderLabel, isoDateToFrench, sexeLabel } from '../format.ts';
import { Layout } from '../layout.tsx';
import { templated } from '../template.ts';

export const TRANSMISSION_ACTION = '/transmission';

export interface ReviewPageProps {
  collectivityName: string;
  identity: IdentitePivot;
  qf: QuotientFamilialData;
  csrfToken: string;
  /** Who is logged in, for the header (first name only). */
  firstName?: string | undefined;
  /** Today, to say when the QF may be old (the clock, outside tests). */
  today?: Date;
}

function Row(props: { label: string; value: string }) {
  return (
    <div class="fqf-dl__row">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

/** A person of the QF's answer, as the pages word it (every absent part already said as "Non communiqué"). */
export type PersonLines = {
  readonly name: string;
  readonly birthName: string;
  /** ", nom d’usage : …", or empty. */
  readonly usageName: string;
  readonly birthDate: string;
  readonly sexe: string;
};

export function personLines(p: PersonReading): PersonLines {
  return {
    name: [p.prenoms, p.nomNaissance].filter((part) => part !== null).join(' ') || NOT_GIVEN,
    birthName: p.nomNaissance ?? NOT_GIVEN,
    usageName: p.nomUsage ? `, nom d’usage : ${p.nomUsage}` : '',
    birthDate: p.dateNaissance === null ? NOT_GIVEN : isoDateToFrench(p.dateNaissance),
    sexe: p.sexe === null ? NOT_GIVEN : sexeLabel(p.sexe),
  };
}

function PeopleLines(props: { heading: string; people: readonly PersonLines[] | null; emptyLabel: string }) {
  return (
    <>
      <h3 class="fr-h6 fr-mb-1w">{props.heading}</h3>
      {props.people === null ? (
        <p>{NOT_GIVEN}</p>
      ) : props.people.length === 0 ? (
        <p>{props.emptyLabel}</p>
      ) : (
        <ul class="fqf-people">
          {props.people.map((p) => (
            <li>
              <p class="fr-text--bold fr-mb-0">{p.name}</p>
              <p class="fr-text--sm fr-mb-0">
                Nom de naissance : {p.birthName}
                {p.usageName}
                <br />
                Date de naissance : {p.birthDate}
                <br />
                Sexe : {p.sexe}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Allocataires or children: a list rather than a table, so that it reads well on a 360 px screen. */
export function PeopleList(props: { heading: string; people: readonly PersonReading[] | null; emptyLabel: string }) {
  return <PeopleLines heading={props.heading} people={props.people?.map(personLines) ?? null} emptyLabel={props.emptyLabel} />;
}

/** The review page's words, all worked out: its markup only places them (see templated). */
type ReviewModel = {
  collectivityName: string;
  csrfToken: string;
  firstName: string | undefined;
  identity: { familyName: string; prenoms: string; gender: string; birthdate: string; birthplace: string; birthcountry: string };
  /** What the caisse did not send, or null. */
  missing: string | null;
  qf: {
    provider: string;
    amount: string;
    validFor: string;
    computedOn: string;
    /** Said when the QF may be old: its month, and who to tell ("la CAF"). */
    mayBeOld: { month: string; caisse: string } | null;
  } | null;
  allocataires: readonly PersonLines[] | null;
  enfants: readonly PersonLines[] | null;
};

function reviewModel(props: ReviewPageProps): ReviewModel {
  const id = props.identity;
  // What we understand of the answer, for the family to check; the commune receives the answer itself.
  const reading = readQuotientFamilial(props.qf);
  const qf = reading.qf;
  return {
    collectivityName: props.collectivityName,
    csrfToken: props.csrfToken,
    firstName: props.firstName,
    identity: {
      familyName: id.family_name,
      prenoms: id.given_name_array.length > 0 ? id.given_name_array.join(' ') : id.given_name,
      gender: genderLabel(id.gender),
      birthdate: isoDateToFrench(id.birthdate),
      birthplace: birthplaceLabel(id.birthplace),
      birthcountry: birthcountryLabel(id.birthcountry),
    },
    missing: reading.missing.length > 0 ? reading.missing.join(', ') : null,
    qf: qf
      ? {
          provider: providerName(qf.fournisseur),
          amount: qf.valeur === null ? NOT_GIVEN : `${qfAmount(qf.valeur)} par mois`,
          validFor: monthYear(qf.mois, qf.annee),
          computedOn: monthYear(qf.moisCalcul, qf.anneeCalcul),
          mayBeOld: qfMayBeOld(qf, props.today ?? new Date())
            ? { month: monthYear(qf.mois, qf.annee), caisse: qf.fournisseur === 'MSA' ? 'la MSA' : qf.fournisseur === 'CNAF' ? 'la CAF' : 'votre caisse' }
            : null,
        }
      : null,
    allocataires: reading.allocataires?.map(personLines) ?? null,
    enfants: reading.enfants?.map(personLines) ?? null,
  };
}

/** Step 3: everything that will be sent, and the one button that sends it. */
export function ReviewPage(props: ReviewPageProps) {
  return reviewMarkup(reviewModel(props));
}

/** Exported for the test that every persona's page comes soundly from the template. */
export const reviewMarkup = templated((m: ReviewModel) => (
    <Layout
      title={`Je relis et transmets mes données à ${m.collectivityName}`}
      session={{ loggedIn: true, logoutCsrfToken: m.csrfToken, firstName: m.firstName }}
    >
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Je relis et transmets mes données à {m.collectivityName}</h1>
          <Stepper current={3} />
          <p>
            Vérifiez les informations ci-dessous. Elles seront envoyées à {m.collectivityName} seulement quand vous
            cliquerez sur « Transmettre les données à la collectivité ».
          </p>

          <section class="fr-mb-4w" aria-labelledby="mon-identite">
            <h2 id="mon-identite">Mon identité</h2>
            <p class="fr-text--sm">Transmise par FranceConnect.</p>
            <dl class="fqf-dl">
              <Row label="Nom de naissance" value={m.identity.familyName} />
              <Row label="Prénoms" value={m.identity.prenoms} />
              <Row label="Sexe" value={m.identity.gender} />
              <Row label="Date de naissance" value={m.identity.birthdate} />
              <Row label="Lieu de naissance" value={m.identity.birthplace} />
              <Row label="Pays de naissance" value={m.identity.birthcountry} />
            </dl>
          </section>

          <section class="fr-mb-4w" aria-labelledby="mon-quotient-familial">
            <h2 id="mon-quotient-familial">Mon quotient familial</h2>
            {m.missing !== null ? (
              <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                <p>
                  Votre caisse n’a pas communiqué, ou pas sous une forme que nous savons lire : {m.missing}.
                  Ce qu’elle a envoyé sera transmis tel quel à {m.collectivityName}.
                </p>
              </div>
            ) : null}
            {m.qf ? (
              <>
                <p class="fr-text--sm">Transmis par {m.qf.provider}.</p>
                <dl class="fqf-dl">
                  <Row label="Quotient familial" value={m.qf.amount} />
                  <Row label="Valable pour le mois de" value={m.qf.validFor} />
                  <Row label="Calculé par" value={m.qf.provider} />
                  <Row label="Date du calcul" value={m.qf.computedOn} />
                </dl>
                <p class="fr-text--sm">
                  Le quotient familial résume les ressources et la taille de votre foyer : plus il est bas, plus les tarifs
                  de la collectivité peuvent être réduits.
                </p>
                {m.qf.mayBeOld ? (
                  <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                    <p>
                      Ce quotient familial est celui de {m.qf.mayBeOld.month} : c’est le plus récent que{' '}
                      {m.qf.mayBeOld.caisse} connaît, il peut donc être ancien. Si votre situation a
                      changé depuis, signalez-le à {m.qf.mayBeOld.caisse}, puis refaites cette
                      démarche.
                    </p>
                  </div>
                ) : null}
              </>
            ) : (
              <p>Aucune valeur de quotient familial n’a été communiquée.</p>
            )}
            <PeopleLines heading="Allocataires" people={m.allocataires} emptyLabel="Aucun" />
            <PeopleLines heading="Enfants" people={m.enfants} emptyLabel="Aucun" />
          </section>

          <section class="fr-mb-4w" aria-labelledby="devenir-donnees">
            <h2 id="devenir-donnees">Ce que deviennent mes données</h2>
            <ul>
              <li>
                Elles sont envoyées à {m.collectivityName} par HubEE, le service de l’État qui achemine les démarches
                vers les collectivités.
              </li>
              <li>
                Nous ne les gardons pas : elles sont effacées de notre service dès que HubEE les a reçues. Nous ne
                conservons que l’identifiant de la démarche, le nom de la collectivité, les dates et l’état d’avancement.
              </li>
              <li>
                {m.collectivityName} les utilise pour calculer vos tarifs et peut, les années suivantes, mettre à jour
                votre quotient familial auprès de la CAF ou de la MSA sans vous le redemander.
              </li>
            </ul>
            <p>
              <a class="fr-link" href="/donnees-personnelles">
                En savoir plus sur vos données personnelles
              </a>
            </p>
          </section>

          <form method="post" action={TRANSMISSION_ACTION} class="fr-mb-3w">
            <input type="hidden" name="_csrf" value={m.csrfToken} />
            <button type="submit" class="fr-btn fr-btn--lg">
              Transmettre les données à la collectivité
            </button>
          </form>
          <p>
            Une information est inexacte ? Nous ne pouvons pas la modifier : l’identité vient de votre compte utilisé
            avec FranceConnect et le quotient familial de votre caisse (CAF ou MSA), c’est auprès d’eux qu’il faut la
            faire corriger. Vous pouvez aussi renoncer pour l’instant : rien ne sera envoyé.
          </p>
          <LogoutButton
            csrfToken={m.csrfToken}
            label="Annuler et me déconnecter"
            className="fr-btn fr-btn--secondary"
          />
        </div>
      </div>
    </Layout>
));
