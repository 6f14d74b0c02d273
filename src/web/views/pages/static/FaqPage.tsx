import type { LayoutSession } from '../../layout.tsx';
import { StaticLayout } from './StaticLayout.tsx';

interface Question {
  question: string;
  answer: string[];
}

const QUESTIONS: Question[] = [
  {
    question: 'À quoi sert ce service ?',
    answer: [
      'Il permet de transmettre votre quotient familial à votre commune en ligne. La commune s’en sert pour calculer vos tarifs (cantine, accueil périscolaire, centre de loisirs, transports…) sans vous demander d’attestation.',
    ],
  },
  {
    question: 'Qu’est-ce que le quotient familial ?',
    answer: [
      'C’est un nombre calculé par la CAF ou la MSA à partir des ressources de votre foyer et du nombre de personnes qui le composent. Plus il est bas, plus les tarifs sociaux peuvent être avantageux.',
    ],
  },
  {
    question: 'Ma commune n’apparaît pas dans la liste. Que faire ?',
    answer: [
      'Seules les collectivités qui ont adhéré au service apparaissent. Vous pouvez transmettre votre quotient familial autrement, par exemple avec une attestation de la CAF ou de la MSA, ou au guichet de votre commune.',
    ],
  },
  {
    question: 'Je n’ai pas de compte FranceConnect.',
    answer: [
      'FranceConnect n’est pas un compte à créer : il vous permet d’utiliser un compte que vous avez sans doute déjà, comme celui d’impots.gouv.fr ou d’ameli.fr. Si vous n’en avez aucun, consultez la page « Vous n’utilisez pas FranceConnect ? ».',
    ],
  },
  {
    question: 'Le service ne trouve pas mon quotient familial.',
    answer: [
      'La CAF ou la MSA ne trouve un quotient familial que pour la personne qui est allocataire. Si le dossier est au nom de l’autre parent, c’est lui qui doit faire la démarche avec son compte FranceConnect.',
      'Si vous ne percevez pas de prestations, il n’y a peut-être pas de quotient familial calculé pour vous : votre commune vous dira comment faire.',
    ],
  },
  {
    question: 'Une information affichée est inexacte.',
    answer: [
      'Nous ne pouvons pas modifier les informations : votre identité vient du compte utilisé avec FranceConnect, et votre quotient familial de la CAF ou de la MSA. Faites-les corriger auprès d’eux, puis recommencez la démarche.',
    ],
  },
  {
    question: 'Que deviennent mes données ?',
    answer: [
      'Elles sont envoyées à votre commune et à elle seule, par HubEE, le service de l’État qui achemine les démarches. Nous ne les gardons que le temps de la démarche. Votre commune peut ensuite mettre à jour votre quotient familial les années suivantes sans vous le redemander.',
    ],
  },
  {
    question: 'Comment savoir si ma commune a bien reçu mes informations ?',
    answer: [
      'À la fin de la démarche, un identifiant vous est donné. Saisissez-le sur la page « Suivre ma démarche » pour voir si votre demande a été transmise, reçue, traitée ou refusée.',
    ],
  },
  {
    question: 'La démarche a expiré. Pourquoi ?',
    answer: [
      'Par sécurité, une démarche doit être terminée en moins de 30 minutes après la connexion. Il suffit de recommencer : cela ne prend que quelques minutes.',
    ],
  },
];

export function FaqPage(props: { session?: LayoutSession } = {}) {
  return (
    <StaticLayout title="Questions fréquentes" session={props.session}>
      {QUESTIONS.map((q) => (
        <section class="fr-mb-4w">
          <h2 class="fr-h4">{q.question}</h2>
          {q.answer.map((paragraph) => (
            <p>{paragraph}</p>
          ))}
        </section>
      ))}
      <p>
        Vous n’avez pas trouvé la réponse à votre question ? Votre commune reste votre premier interlocuteur pour tout ce
        qui concerne ses tarifs et ses services.
      </p>
    </StaticLayout>
  );
}
