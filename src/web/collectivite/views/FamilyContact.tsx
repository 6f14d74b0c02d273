import type { Child } from 'hono/jsx';
import type { FamilyInfo } from '../../../db/repositories/family-info.ts';

/**
 * The contact a commune shows its families (set in its espace, Paramètres), on the families' pages. Texts are
 * the commune's own: hono/jsx escapes them, and line breaks are kept as separate lines.
 */
export function Lines(props: { text: string }) {
  const lines = props.text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </>
  );
}

/** The "Contacter …" callout both contacts share: one heading and landmark however the contact is known. */
function ContactCallout(props: { collectivityName: string; headingLevel?: 2 | 3 | undefined; children: Child }) {
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <section class="fr-callout fr-mb-4w" aria-labelledby="contact-commune">
      <Heading id="contact-commune" class="fr-callout__title">
        Contacter {props.collectivityName}
      </Heading>
      <div class="fr-callout__text">{props.children}</div>
    </section>
  );
}

export function FamilyContact(props: { collectivityName: string; info: FamilyInfo; headingLevel?: 2 | 3 }) {
  const { info } = props;
  return (
    <ContactCallout collectivityName={props.collectivityName} headingLevel={props.headingLevel}>
      {info.serviceName ? <p class="fr-mb-1w"><strong>{info.serviceName}</strong></p> : null}
      {info.address ? <p class="fr-mb-1w"><Lines text={info.address} /></p> : null}
      {info.openingHours ? <p class="fr-mb-1w">Horaires : <Lines text={info.openingHours} /></p> : null}
      {info.phone ? (
        <p class="fr-mb-1w">
          Téléphone : <a href={`tel:${info.phone.replace(/[^0-9+]/g, '')}`}>{info.phone}</a>
        </p>
      ) : null}
      {info.email ? (
        <p class="fr-mb-1w">
          E-mail : <a href={`mailto:${info.email}`}>{info.email}</a>
        </p>
      ) : null}
    </ContactCallout>
  );
}

/**
 * Until the commune sets its contact in its espace: what public data we hold (its name and postal code) and where
 * the State's directory of public services gives its town hall's address, phone and hours.
 */
export function PublicContact(props: { collectivityName: string; codePostal: string }) {
  return (
    <ContactCallout collectivityName={props.collectivityName}>
      <p class="fr-mb-1w">
        Adressez-vous à la mairie de {props.collectivityName} ({props.codePostal}). Son adresse, son téléphone et ses horaires figurent sur{' '}
        <a href="https://lannuaire.service-public.gouv.fr/" target="_blank" rel="noopener" title="l’Annuaire de l’administration - nouvelle fenêtre">
          l’Annuaire de l’administration
        </a>
        .
      </p>
    </ContactCallout>
  );
}

/** The commune's own words for families without FranceConnect (how to come to the counter). */
export function WithoutFranceConnectText(props: { collectivityName: string; text: string }) {
  return (
    <section class="fr-mb-4w" aria-labelledby="texte-commune">
      <h2 id="texte-commune">À {props.collectivityName}, sans FranceConnect</h2>
      {props.text.split(/\r?\n\s*\r?\n/).map((paragraph) => (
        <p>
          <Lines text={paragraph} />
        </p>
      ))}
    </section>
  );
}
