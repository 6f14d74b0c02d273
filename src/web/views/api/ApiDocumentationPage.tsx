import { Breadcrumb } from '../components/Breadcrumb.tsx';
import { Layout } from '../layout.tsx';

/**
 * The human page of the OpenAPI document: drawn from the document itself, on the server, so that what a
 * developer reads is what the routes validate (no Swagger UI, no script, no CDN).
 */
type JsonSchema = { type?: string | string[]; description?: string; pattern?: string; format?: string; minimum?: number; maximum?: number; default?: unknown; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; maxItems?: number; minLength?: number; maxLength?: number };
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: JsonSchema };
type Response = { description: string; content?: Record<string, { schema: JsonSchema }> };
type OperationObject = {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, Response>;
  security: Record<string, unknown>[];
  'x-portee'?: string;
  'x-portee-cible'?: string;
};

function typeOf(schema: JsonSchema): string {
  const type = Array.isArray(schema.type) ? schema.type.join(' ou ') : (schema.type ?? 'valeur');
  return schema.type === 'array' && schema.items ? `liste de ${typeOf(schema.items)}` : type;
}

function constraintsOf(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.pattern) parts.push(`motif ${schema.pattern}`);
  if (schema.format) parts.push(`format ${schema.format}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) parts.push(`${schema.maxLength} caractères au plus`);
  if (schema.maxItems !== undefined) parts.push(`${schema.maxItems} éléments au plus`);
  if (schema.default !== undefined) parts.push(`par défaut ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

function FieldsTable(props: { caption: string; rows: { name: string; required: boolean; schema: JsonSchema; description?: string | undefined }[] }) {
  return (
    <div class="fr-table">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Type</th>
            <th scope="col">Obligatoire</th>
            <th scope="col">Description et contraintes</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <td>
                <code>{row.name}</code>
              </td>
              <td>{typeOf(row.schema)}</td>
              <td>{row.required ? 'oui' : 'non'}</td>
              <td>{[row.description ?? row.schema.description, constraintsOf(row.schema)].filter((t) => t).join(' — ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function propertiesOf(schema: JsonSchema) {
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, required: (schema.required ?? []).includes(name), schema: s }));
}

export function ApiDocumentationPage(props: { document: Record<string, unknown>; openApiUrl: string }) {
  const info = props.document.info as { title: string; version: string; description: string };
  const servers = props.document.servers as { url: string }[];
  const paths = props.document.paths as Record<string, Record<string, OperationObject>>;
  const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  return (
    <Layout title="Documentation de l’API">
      <Breadcrumb items={[{ label: 'Documentation de l’API' }]} />
      <h1>{info.title}</h1>
      <p class="fr-text--lead">{info.description}</p>
      <p>
        Adresse de base : <code>{servers[0]?.url ?? ''}</code>. Version {info.version}. Le document OpenAPI 3.1 complet, généré à partir des
        schémas qui valident les requêtes : <a href={props.openApiUrl}>{props.openApiUrl}</a>.
      </p>
      <p>
        Les lectures sont ouvertes à toutes les origines (CORS). Les erreurs sont du JSON de la forme{' '}
        <code>{'{ "error": { "status", "code", "message", "fields" } }'}</code>.
      </p>
      <nav class="fr-summary" role="navigation" aria-labelledby="sommaire-api">
        <h2 class="fr-summary__title" id="sommaire-api">
          Opérations
        </h2>
        <ol class="fr-summary__list">
          {operations.map(({ method, path, op }) => (
            <li>
              <a class="fr-summary__link" href={`#${op.operationId}`}>
                {method} {path} — {op.summary}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {operations.map(({ method, path, op }) => {
        const body = op.requestBody?.content['application/json']?.schema;
        const organisation = op['x-portee'] === 'organisation';
        const example = `curl${method === 'GET' ? '' : ` -X ${method}`} ${servers[0]?.url ?? ''}${path}${op.security.length > 0 ? ` -H "Authorization: Bearer ${organisation ? '$CLE_API' : '$API_TOKEN'}"` : ''}${body ? " -H 'Content-Type: application/json' -d '{…}'" : ''}`;
        return (
          <section class="fr-mt-6w" aria-labelledby={op.operationId}>
            <h2 id={op.operationId}>
              <span class={`fr-badge fr-badge--no-icon ${method === 'GET' ? 'fr-badge--info' : 'fr-badge--new'}`}>{method}</span> <code>{path}</code>
            </h2>
            <p>
              <strong>{op.summary}.</strong> {op.description ?? ''}
            </p>
            {op.security.length > 0 && !organisation ? <p class="fr-badge fr-badge--warning">Jeton d’API requis</p> : null}
            {organisation ? (
              <p>
                <span class="fr-badge fr-badge--warning">Clé d’API de l’organisation</span> {op['x-portee-cible'] ?? ''}
              </p>
            ) : null}
            {op.parameters && op.parameters.length > 0 ? (
              <FieldsTable
                caption="Paramètres"
                rows={op.parameters.map((p) => ({ name: `${p.name} (${p.in === 'path' ? 'chemin' : 'requête'})`, required: p.required, schema: p.schema, description: p.description }))}
              />
            ) : null}
            {body ? <FieldsTable caption="Corps (JSON)" rows={propertiesOf(body)} /> : null}
            <div class="fr-table">
              <table>
                <caption>Réponses</caption>
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Signification</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(op.responses).map(([status, response]) => (
                    <tr>
                      <td>{status}</td>
                      <td>{response.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>Exemple :</p>
            <pre>
              <code>{example}</code>
            </pre>
          </section>
        );
      })}
    </Layout>
  );
}
