import { isDelivered } from '../access.ts';
import type { Hub } from '../hub.ts';
import { organizationId, sameOrganization, type Organization, type StoredCase, type StoredFolder } from '../model.ts';
import { caseAttachments } from '../views.ts';
import { frenchDate, html, page, type Html } from './html.ts';
import { CASE_STATUS_LABELS, portalMoves } from './labels.ts';

/** The portal's root under the stand-in's mount point. */
export const portalBase = (hub: Pick<Hub, 'prefix'>) => `${hub.prefix}/portail`;

function statusBadge(status: keyof typeof CASE_STATUS_LABELS): Html {
  return html`<span class="statut" title="${status}">${CASE_STATUS_LABELS[status]}</span>`;
}

/** The cases an organization received: those of completed folders, newest first. */
export function receivedCases(hub: Hub, organization: Organization): { folder: StoredFolder; kase: StoredCase }[] {
  return Object.values(hub.state.cases)
    .filter((kase) => sameOrganization(kase.recipient, organization))
    .flatMap((kase) => {
      const folder = hub.state.folders[kase.folderId];
      return folder && isDelivered(folder) ? [{ folder, kase }] : [];
    })
    .sort((a, b) => (b.kase.transmissionDateTime ?? '').localeCompare(a.kase.transmissionDateTime ?? ''));
}

export function homePage(hub: Hub): string {
  const base = portalBase(hub);
  const organizations = Object.values(hub.state.organizations)
    .filter((o) => o.type === 'SI')
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const rows = organizations.map((o) => {
    const count = receivedCases(hub, o).length;
    return html`<tr><td><a href="${base}/organisations/${organizationId(o)}">${o.name}</a></td><td>${o.companyRegister}</td><td>${o.branchCode}</td><td>${count}</td></tr>`;
  });
  return page(
    hub,
    'Choisir une commune',
    html`<h1>Choisir une commune</h1>
<p>Ce portail imite celui de HubEE pour les agents des communes. Dans ce bac à sable il n'y a pas de connexion :
choisissez la commune dont vous voulez voir les télédossiers reçus.</p>
<p>Pour l'API, chaque commune a des identifiants « service instructeur » : identifiant <code>SI-{siret}-{code COG}</code>,
secret <code>local-only-hubee-si-{siret}-{code COG}</code>, portée <code>SI</code>.</p>
<table><thead><tr><th>Commune</th><th>SIRET</th><th>Code COG</th><th>Télédossiers reçus</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  );
}

export function organizationPage(hub: Hub, organization: Organization): string {
  const base = portalBase(hub);
  const cases = receivedCases(hub, organization);
  const rows = cases.map(
    ({ folder, kase }) => html`<tr>
<td><a href="${base}/dossiers/${kase.id}">${kase.externalId}</a></td>
<td>${folder.processCode}</td>
<td>${folder.applicant.lastName} ${folder.applicant.firstName}</td>
<td>${frenchDate(kase.transmissionDateTime)}</td>
<td>${frenchDate(kase.updateDateTime)}</td>
<td>${statusBadge(kase.status)}</td></tr>`,
  );
  return page(
    hub,
    organization.name,
    html`<p><a href="${base}">← Changer de commune</a></p>
<h1>${organization.name}</h1>
<p>SIRET ${organization.companyRegister}, code COG ${organization.branchCode}.</p>
<h2>Télédossiers reçus</h2>
${cases.length === 0 ? html`<p>Aucun télédossier reçu pour le moment.</p>` : html`<table>
<thead><tr><th>Référence</th><th>Démarche</th><th>Demandeur</th><th>Transmis le</th><th>Mis à jour le</th><th>Statut</th></tr></thead>
<tbody>${rows}</tbody></table>`}`,
  );
}

export function casePage(hub: Hub, organization: Organization, folder: StoredFolder, kase: StoredCase, notice: string | null): string {
  const base = portalBase(hub);
  const attachments = caseAttachments(folder, kase).map(
    (a) => html`<li><a href="${base}/dossiers/${kase.id}/pieces-jointes/${a.id}">${a.fileName}</a> (${a.mimeType}, ${a.size} octets)</li>`,
  );
  const events = kase.eventIds.flatMap((id) => {
    const event = hub.state.events[id];
    if (!event) return [];
    return [
      html`<tr><td>${frenchDate(event.createDateTime)}</td><td>${event.transmitter.type === 'SI' ? 'Commune' : 'Émetteur'}</td>
<td>${event.caseNewStatus ? CASE_STATUS_LABELS[event.caseNewStatus as keyof typeof CASE_STATUS_LABELS] ?? event.caseNewStatus : event.actionType}</td>
<td>${event.message ?? ''}</td></tr>`,
    ];
  });
  const moves = portalMoves(kase.status);
  return page(
    hub,
    kase.externalId,
    html`<p><a href="${base}/organisations/${organizationId(organization)}">← Télédossiers de ${organization.name}</a></p>
${notice ? html`<p class="avis" role="status">${notice}</p>` : ''}
<h1>Télédossier ${kase.externalId}</h1>
<table>
<tr><th>Démarche</th><td>${folder.processCode}</td></tr>
<tr><th>Statut</th><td>${statusBadge(kase.status)}</td></tr>
<tr><th>Demandeur</th><td>${folder.applicant.lastName} ${folder.applicant.firstName}</td></tr>
<tr><th>Déposé le</th><td>${frenchDate(folder.createDateTime)}</td></tr>
<tr><th>Transmis le</th><td>${frenchDate(kase.transmissionDateTime)}</td></tr>
<tr><th>Mis à jour le</th><td>${frenchDate(kase.updateDateTime)}</td></tr>
</table>
<h2>Pièces jointes</h2>
<ul>${attachments}</ul>
<h2>Traitement</h2>
${moves.length === 0 ? html`<p>Aucune action possible dans ce statut.</p>` : html`<form method="post" action="${base}/dossiers/${kase.id}/statut">
<p><label for="message">Message pour l'usager (facultatif)</label><br><textarea id="message" name="message" rows="3" maxlength="1000"></textarea></p>
<p>${moves.map((m) => html`<button type="submit" name="status" value="${m.status}">${m.label}</button> `)}</p>
</form>`}
<h2>Historique</h2>
${events.length === 0 ? html`<p>Aucun événement.</p>` : html`<table><thead><tr><th>Date</th><th>Par</th><th>Action</th><th>Message</th></tr></thead><tbody>${events}</tbody></table>`}`,
  );
}

export function notFoundPage(hub: Hub, what: string): string {
  return page(hub, 'Introuvable', html`<h1>Introuvable</h1><p class="erreur">${what}</p><p><a href="${portalBase(hub)}">Retour à l'accueil du portail</a></p>`);
}
