import type { EditeurRecord } from '../../../db/repositories/editeurs.ts';
import { Field } from '../components/Field.tsx';
import { AdminLayout, ChangeOutcome, OperatorForm, Table, type OperatorFrame } from './AdminLayout.tsx';

/**
 * The operator's view of the éditeurs: each with its client communes (each can be detached) and administrators;
 * forms to register an éditeur, link a commune to it, and add its first administrator (the others are invited from its espace).
 */
export interface EditeurOverview {
  editeur: EditeurRecord;
  clients: { siret: string; name: string }[];
  administrators: string[];
}

export function EditeursAdminPage(props: { operator: OperatorFrame; editeurs: EditeurOverview[]; csrfToken: string; notice: string | null; error: string | null }) {
  const siret = (id: string, name: string, label: string) => <Field id={id} name={name} label={label} inputMode="numeric" required />;
  return (
    <AdminLayout title="Éditeurs" current="/admin/collectivites" operator={props.operator}>
      <ChangeOutcome notice={props.notice} error={props.error} />
      <Table
        caption="Éditeurs et leurs communes clientes"
        headers={['Éditeur', 'SIRET', 'Identifiant DataPass', 'Communes clientes', 'Administrateurs']}
        empty="Aucun éditeur."
        rows={props.editeurs.map((e) => [
          e.editeur.name,
          e.editeur.siret,
          e.editeur.datapassId ?? '—',
          e.clients.length === 0 ? 'aucune' : (
            <ul class="fr-raw-list">
              {e.clients.map((c) => (
                <li>
                  <form method="post" action="/admin/editeurs/clients/detacher">
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <input type="hidden" name="editeur" value={e.editeur.siret} />
                    <input type="hidden" name="commune" value={c.siret} />
                    {c.name} ({c.siret}){' '}
                    <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary" aria-label={`Détacher ${c.name} de ${e.editeur.name}`}>
                      Détacher
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ),
          e.administrators.join(', ') || 'aucun',
        ])}
      />
      <OperatorForm title="Inscrire un éditeur" action="/admin/editeurs" csrfToken={props.csrfToken} submit="Inscrire">
        {siret('siret', 'siret', 'SIRET de l’éditeur')}
        <Field id="nom" name="nom" label="Nom" required />
      </OperatorForm>
      <OperatorForm title="Rattacher une commune à un éditeur" action="/admin/editeurs/clients" csrfToken={props.csrfToken} submit="Rattacher">
        {siret('editeur-client', 'editeur', 'SIRET de l’éditeur')}
        {siret('commune', 'commune', 'SIRET de la commune')}
      </OperatorForm>
      <OperatorForm title="Ajouter un administrateur d’éditeur" action="/admin/editeurs/administrateurs" csrfToken={props.csrfToken} submit="Ajouter" last>
        {siret('editeur-admin', 'editeur', 'SIRET de l’éditeur')}
        <Field id="email" name="email" type="email" label="Adresse e-mail professionnelle" required />
      </OperatorForm>
    </AdminLayout>
  );
}
