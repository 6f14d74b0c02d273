import type { ApiKeyRecord } from '../../db/repositories/api-keys.ts';
import { API_KEY_LIFETIMES_DAYS } from '../../domain/api-key.ts';
import { Table } from '../collectivite/views/Table.tsx';
import { Alert } from '../views/components/Alert.tsx';
import { Field } from '../views/components/Field.tsx';
import { frenchDateTime } from '../views/format.ts';

/** The organisation's API keys: the one just created (shown once), the list with revocation, the creation form. */
export interface ApiKeysSectionProps {
  basePath: string;
  csrfToken: string;
  organisationLabel: string;
  keys: ApiKeyRecord[];
  now: Date;
  created?: { key: string; name: string };
  notice?: { type: 'success' | 'error'; text: string };
  nameError?: string;
}

function stateOf(key: ApiKeyRecord, now: Date): string {
  if (key.revokedAt) return `révoquée le ${frenchDateTime(key.revokedAt)}`;
  if (key.expiresAt <= now) return 'expirée';
  return 'active';
}

export function ApiKeysSection(props: ApiKeysSectionProps) {
  return (
    <>
      {props.created ? (
        <Alert type="success" title={`La clé « ${props.created.name} » est créée`} live>
          <p>Copiez-la maintenant et gardez-la dans le coffre de secrets de votre logiciel : elle ne sera plus jamais affichée.</p>
          <p>
            <code class="fqf-secret" data-testid="cle-creee">
              {props.created.key}
            </code>
          </p>
        </Alert>
      ) : null}
      {props.notice ? <Alert type={props.notice.type} small live title={props.notice.text} /> : null}
      <p>
        Une clé d’API agit pour {props.organisationLabel} seulement, sur les opérations de portée « organisation » de{' '}
        <a href="/api/documentation">l’API</a> (en-tête <code>Authorization: Bearer fqf_live_…</code>). Nous n’en gardons qu’une
        empreinte : une clé perdue se révoque et se remplace.
      </p>
      <Table caption="Clés d’API">
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Préfixe</th>
            <th scope="col">Créée le</th>
            <th scope="col">Expire le</th>
            <th scope="col">Dernière utilisation</th>
            <th scope="col">État</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.keys.length === 0 ? (
            <tr>
              <td colspan={7}>Aucune clé pour l’instant.</td>
            </tr>
          ) : (
            props.keys.map((k) => (
              <tr>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}</code>
                </td>
                <td>{frenchDateTime(k.createdAt)}</td>
                <td>{frenchDateTime(k.expiresAt)}</td>
                <td>{k.lastUsedAt ? frenchDateTime(k.lastUsedAt) : 'jamais'}</td>
                <td>{stateOf(k, props.now)}</td>
                <td>
                  {k.revokedAt ? null : (
                    <form method="post" action={`${props.basePath}/cles/${k.id}/revoquer`}>
                      <input type="hidden" name="_csrf" value={props.csrfToken} />
                      <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                        Révoquer {k.name}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </Table>

      <h2>Créer une clé</h2>
      <form method="post" action={`${props.basePath}/cles`} class="fr-mb-6w">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <Field id="nom" name="nom" label="Nom de la clé" hint="Pour la reconnaître, par exemple « Logiciel enfance – production »." maxLength={100} required error={props.nameError} />
        <div class="fr-select-group">
          <label class="fr-label" for="duree">
            Durée de validité
          </label>
          <select class="fr-select" id="duree" name="duree">
            {API_KEY_LIFETIMES_DAYS.map((days) => (
              <option value={String(days)} selected={days === 90 ? true : undefined}>
                {days === 365 ? '1 an' : `${days} jours`}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="fr-btn">
          Créer la clé
        </button>
      </form>
    </>
  );
}
