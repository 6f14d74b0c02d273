import type { EditeurRecord } from '../../../db/repositories/editeurs.ts';
import { AdminLayout, Table, type OperatorFrame } from './AdminLayout.tsx';

/**
 * The operator's view of the éditeurs: each with its client communes and administrators; forms to register an
 * éditeur, link a commune to it, and add its first administrator (the others are invited from its espace).
 */
export interface EditeurOverview {
  editeur: EditeurRecord;
  clients: { siret: string; name: string }[];
  administrators: string[];
}

export function EditeursAdminPage(props: { operator: OperatorFrame; editeurs: EditeurOverview[]; csrfToken: string; notice: string | null; error: string | null }) {
  const csrf = <input type="hidden" name="_csrf" value={props.csrfToken} />;
  return (
    <AdminLayout title="Éditeurs" current="/admin/collectivites" operator={props.operator}>
      {props.notice ? <p class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{props.notice}</p> : null}
      {props.error ? (
        <p class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          {props.error}
        </p>
      ) : null}
      <Table
        caption="Éditeurs et leurs communes clientes"
        headers={['Éditeur', 'SIRET', 'Identifiant DataPass', 'Communes clientes', 'Administrateurs']}
        empty="Aucun éditeur."
        rows={props.editeurs.map((e) => [e.editeur.name, e.editeur.siret, e.editeur.datapassId ?? '—', e.clients.map((c) => `${c.name} (${c.siret})`).join(', ') || 'aucune', e.administrators.join(', ') || 'aucun'])}
      />
      <h2>Inscrire un éditeur</h2>
      <form method="post" action="/admin/editeurs" class="fr-mb-4w">
        {csrf}
        <div class="fr-input-group">
          <label class="fr-label" for="siret">
            SIRET de l’éditeur
          </label>
          <input class="fr-input" id="siret" name="siret" inputmode="numeric" required />
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="nom">
            Nom
          </label>
          <input class="fr-input" id="nom" name="nom" required />
        </div>
        <button type="submit" class="fr-btn">
          Inscrire
        </button>
      </form>
      <h2>Rattacher une commune à un éditeur</h2>
      <form method="post" action="/admin/editeurs/clients" class="fr-mb-4w">
        {csrf}
        <div class="fr-input-group">
          <label class="fr-label" for="editeur-client">
            SIRET de l’éditeur
          </label>
          <input class="fr-input" id="editeur-client" name="editeur" inputmode="numeric" required />
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="commune">
            SIRET de la commune
          </label>
          <input class="fr-input" id="commune" name="commune" inputmode="numeric" required />
        </div>
        <button type="submit" class="fr-btn">
          Rattacher
        </button>
      </form>
      <h2>Ajouter un administrateur d’éditeur</h2>
      <form method="post" action="/admin/editeurs/administrateurs">
        {csrf}
        <div class="fr-input-group">
          <label class="fr-label" for="editeur-admin">
            SIRET de l’éditeur
          </label>
          <input class="fr-input" id="editeur-admin" name="editeur" inputmode="numeric" required />
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="email">
            Adresse e-mail professionnelle
          </label>
          <input class="fr-input" id="email" name="email" type="email" required />
        </div>
        <button type="submit" class="fr-btn">
          Ajouter
        </button>
      </form>
    </AdminLayout>
  );
}
