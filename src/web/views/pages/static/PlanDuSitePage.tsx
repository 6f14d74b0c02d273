import { LEGAL_LINKS } from '../../components/Footer.tsx';
import type { LayoutSession } from '../../layout.tsx';
import { StaticLayout } from './StaticLayout.tsx';

/** Every page a family can reach directly (RGAA 12.1: a site map among the ways to find a page). */
export function PlanDuSitePage(props: { session?: LayoutSession } = {}) {
  return (
    <StaticLayout title="Plan du site" session={props.session}>
      <ul>
        <li>
          <a href="/">Accueil</a>
        </li>
        <li>
          <a href="/collectivites">Choisir ma collectivité et transmettre mon quotient familial</a>
        </li>
        <li>
          <a href="/suivi">Suivre ma démarche</a>
        </li>
        <li>
          <a href="/sans-franceconnect">Vous n’utilisez pas FranceConnect ?</a>
        </li>
        {LEGAL_LINKS.filter((link) => link.href !== '/plan-du-site').map((link) => (
          <li>
            <a href={link.href}>{link.label}</a>
          </li>
        ))}
        <li>
          <a href="/cgu-administrations">Conditions d’utilisation pour les collectivités</a>
        </li>
        <li>
          <a href="/api/documentation">Documentation de l’API</a>
        </li>
      </ul>
    </StaticLayout>
  );
}
