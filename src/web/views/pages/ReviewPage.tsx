import type { IdentitePivot } from '../../../domain/identite-pivot.ts';
import { readQuotientFamilial, type PersonReading, type QuotientFamilialData } from '../../../domain/quotient-familial.ts';
import { LogoutButton } from '../components/LogoutButton.tsx';
import { Stepper } from '../components/Stepper.tsx';
import { monthYear, NOT_GIVEN, providerName, qfAmount, qfMayBeOld } from '../../../domain/qf-in-words.ts';
import { birthcountryLabel, birthplaceLabel, genderLabel, isoDateToFrench, sexeLabel } from '../format.ts';
import { Layout } from '../layout.tsx';

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

/** Allocataires or children: a list rather than a table, so that it reads well on a 360 px screen. */
export function PeopleList(props: { heading: string; people: readonly PersonReading[] | null; emptyLabel: string }) {
  const people = props.people ?? [];
  return (
    <>
      <h3 class="fr-h6 fr-mb-1w">{props.heading}</h3>
      {props.people === null ? (
        <p>{NOT_GIVEN}</p>
      ) : people.length === 0 ? (
        <p>{props.emptyLabel}</p>
      ) : (
        <ul class="fqf-people">
          {people.map((p) => (
            <li>
              <p class="fr-text--bold fr-mb-0">
                {[p.prenoms, p.nomNaissance].filter((part) => part !== null).join(' ') || NOT_GIVEN}
              </p>
              <p class="fr-text--sm fr-mb-0">
                Nom de naissance : {p.nomNaissance ?? NOT_GIVEN}
                {p.nomUsage ? `, nom d’usage : ${p.nomUsage}` : ''}
                <br />
                Date de naissance : {p.dateNaissance === null ? NOT_GIVEN : isoDateToFrench(p.dateNaissance)}
                <br />
                Sexe : {p.sexe === null ? NOT_GIVEN : sexeLabel(p.sexe)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Step 3: everything that will be sent, and the one button that sends it. */
export function ReviewPage(props: ReviewPageProps) {
  const id = props.identity;
  // What we understand of the answer, for the family to check; the commune receives the answer itself.
  const reading = readQuotientFamilial(props.qf);
  const qf = reading.qf;
  const prenoms = id.given_name_array.length > 0 ? id.given_name_array.join(' ') : id.given_name;
  return (
    <Layout
      title={`Je relis et transmets mes données à ${props.collectivityName}`}
      session={{ loggedIn: true, logoutCsrfToken: props.csrfToken, firstName: props.firstName }}
    >
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Je relis et transmets mes données à {props.collectivityName}</h1>
          <Stepper current={3} />
          <p>
            Vérifiez les informations ci-dessous. Elles seront envoyées à {props.collectivityName} seulement quand vous
            cliquerez sur « Transmettre les données à la collectivité ».
          </p>

          <section class="fr-mb-4w" aria-labelledby="mon-identite">
            <h2 id="mon-identite">Mon identité</h2>
            <p class="fr-text--sm">Transmise par FranceConnect.</p>
            <dl class="fqf-dl">
              <Row label="Nom de naissance" value={id.family_name} />
              <Row label="Prénoms" value={prenoms} />
              <Row label="Sexe" value={genderLabel(id.gender)} />
              <Row label="Date de naissance" value={isoDateToFrench(id.birthdate)} />
              <Row label="Lieu de naissance" value={birthplaceLabel(id.birthplace)} />
              <Row label="Pays de naissance" value={birthcountryLabel(id.birthcountry)} />
            </dl>
          </section>

          <section class="fr-mb-4w" aria-labelledby="mon-quotient-familial">
            <h2 id="mon-quotient-familial">Mon quotient familial</h2>
            {reading.missing.length > 0 ? (
              <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                <p>
                  Votre caisse n’a pas communiqué, ou pas sous une forme que nous savons lire : {reading.missing.join(', ')}.
                  Ce qu’elle a envoyé sera transmis tel quel à {props.collectivityName}.
                </p>
              </div>
            ) : null}
            {qf ? (
              <>
                <p class="fr-text--sm">Transmis par {providerName(qf.fournisseur)}.</p>
                <dl class="fqf-dl">
                  <Row label="Quotient familial" value={qf.valeur === null ? NOT_GIVEN : `${qfAmount(qf.valeur)} par mois`} />
                  <Row label="Valable pour le mois de" value={monthYear(qf.mois, qf.annee)} />
                  <Row label="Calculé par" value={providerName(qf.fournisseur)} />
                  <Row label="Date du calcul" value={monthYear(qf.moisCalcul, qf.anneeCalcul)} />
                </dl>
                <p class="fr-text--sm">
                  Le quotient familial résume les ressources et la taille de votre foyer : plus il est bas, plus les tarifs
                  de la collectivité peuvent être réduits.
                </p>
                {qfMayBeOld(qf, props.today ?? new Date()) ? (
                  <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                    <p>
                      Ce quotient familial est celui de {monthYear(qf.mois, qf.annee)} : c’est le plus récent que{' '}
                      {qf.fournisseur === 'MSA' ? 'la MSA' : qf.fournisseur === 'CNAF' ? 'la CAF' : 'votre caisse'} connaît, il peut donc être ancien. Si votre situation a
                      changé depuis, signalez-le à {qf.fournisseur === 'MSA' ? 'la MSA' : qf.fournisseur === 'CNAF' ? 'la CAF' : 'votre caisse'}, puis refaites cette
                      démarche.
                    </p>
                  </div>
                ) : null}
              </>
            ) : (
              <p>Aucune valeur de quotient familial n’a été communiquée.</p>
            )}
            <PeopleList heading="Allocataires" people={reading.allocataires} emptyLabel="Aucun" />
            <PeopleList heading="Enfants" people={reading.enfants} emptyLabel="Aucun" />
          </section>

          <section class="fr-mb-4w" aria-labelledby="devenir-donnees">
            <h2 id="devenir-donnees">Ce que deviennent mes données</h2>
            <ul>
              <li>
                Elles sont envoyées à {props.collectivityName} par HubEE, le service de l’État qui achemine les démarches
                vers les collectivités.
              </li>
              <li>
                Nous ne les gardons pas : elles sont effacées de notre service dès que HubEE les a reçues. Nous ne
                conservons que l’identifiant de la démarche, le nom de la collectivité, les dates et l’état d’avancement.
              </li>
              <li>
                {props.collectivityName} les utilise pour calculer vos tarifs et peut, les années suivantes, mettre à jour
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
            <input type="hidden" name="_csrf" value={props.csrfToken} />
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
            csrfToken={props.csrfToken}
            label="Annuler et me déconnecter"
            className="fr-btn fr-btn--secondary"
          />
        </div>
      </div>
    </Layout>
  );
}
