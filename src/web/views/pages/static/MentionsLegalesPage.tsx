import type { LayoutSession } from '../../layout.tsx';
import { DEFAULT_SITE_INFO, type SiteInfo } from '../../site.ts';
import { StaticLayout } from './StaticLayout.tsx';

export function MentionsLegalesPage(props: { site?: SiteInfo; session?: LayoutSession } = {}) {
  const site = props.site ?? DEFAULT_SITE_INFO;
  return (
    <StaticLayout title="Mentions légales" session={props.session}>
      <h2>Éditeur</h2>
      <p>
        {site.editor.name}
        <br />
        {site.editor.address}
      </p>
      <h2>Directeur ou directrice de la publication</h2>
      <p>{site.editor.publicationDirector}</p>
      <h2>Hébergement</h2>
      <p>
        {site.host.name}
        <br />
        {site.host.address}
      </p>
      <h2>Contact</h2>
      <p>
        <a href={`mailto:${site.contactEmail}`}>{site.contactEmail}</a>
      </p>
      <h2>Accessibilité</h2>
      <p>
        Le service est <a href="/accessibilite">non conforme au RGAA</a> à ce jour : aucun audit n’a encore été réalisé.
      </p>
      <h2>Réutilisation des contenus</h2>
      <p>
        Sauf mention contraire, les contenus de ce site sont publiés sous licence etalab-2.0 (Licence Ouverte). Le logo
        « République Française » et la marque de l’État ne peuvent pas être réutilisés.
      </p>
    </StaticLayout>
  );
}
