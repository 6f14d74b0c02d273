import type { ColumnType, Generated } from 'kysely';
import type { HubeeEnvironment } from '../domain/hubee-environment.ts';

/** The tables as Kysely sees them. Personal data never has a column here in clear. */
export interface Database {
  collectivities: CollectivitiesTable;
  journeys: JourneysTable;
  shipments: ShipmentsTable;
  shipment_status_history: ShipmentStatusHistoryTable;
  hubee_follow_up_claims: HubeeFollowUpClaimsTable;
  datapass_events: DatapassEventsTable;
  onboardings: OnboardingsTable;
  metric_counts: MetricCountsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  collectivity_agents: CollectivityAgentsTable;
  espace_journal: EspaceJournalTable;
  espace_sessions: EspaceSessionsTable;
  collectivity_family_info: CollectivityFamilyInfoTable;
  editeurs: EditeursTable;
  editeur_clients: EditeurClientsTable;
  editeur_members: EditeurMembersTable;
  api_keys: ApiKeysTable;
  commune_api_particulier_tokens: CommuneApiParticulierTokensTable;
  qf_refresh_batches: QfRefreshBatchesTable;
  qf_refresh_families: QfRefreshFamiliesTable;
}

export interface JourneysTable {
  id_hash: string;
  payload: Uint8Array;
  expires_at: Date;
}

export type ShipmentStatusColumn = 'pending' | 'failed' | 'SENT' | 'SI_RECEIVED' | 'IN_PROGRESS' | 'DONE' | 'REFUSED';

export interface ShipmentsTable {
  reference: string;
  collectivity_siret: string;
  external_id: string | null;
  status: ShipmentStatusColumn;
  hubee_folder_id: string | null;
  hubee_case_id: string | null;
  /** Encrypted télédossier data; null once HubEE has the folder or the shipment failed. */
  payload: Uint8Array | null;
  attempts: Generated<number>;
  last_error: string | null;
  lease_until: Date | null;
  next_attempt_at: Generated<Date>;
  give_up_at: Date;
  created_at: Generated<Date>;
  sent_at: Date | null;
  status_updated_at: Generated<Date>;
  closed_at: Date | null;
  /** When the commune first moved the case (migration 0003). */
  first_commune_status_at: Date | null;
  /** Steps of closing a final case in HubEE, in order (migration 0003). */
  hubee_case_closed_at: Date | null;
  hubee_closing_event_at: Date | null;
  hubee_folder_closed_at: Date | null;
  /** The commune's last message to the family, from HubEE (migration 0013). */
  commune_message: string | null;
  commune_message_at: Date | null;
  /** Keyed hash of the identité pivot, per commune, to mark repeat transmissions (migration 0013). */
  identity_hash: string | null;
  /** A test dossier (fictitious person): never counted as a family's transmission (migration 0012). */
  is_test: Generated<boolean>;
  /** The HubEE it goes to, chosen at its creation (migration 0014). */
  hubee_environment: Generated<HubeeEnvironment>;
  /** When the same family last transmitted to this commune before, found when it was recorded (migration 0016). */
  previous_transmission_at: Date | null;
}

export interface ShipmentStatusHistoryTable {
  id: Generated<number>;
  reference: string;
  status: ShipmentStatusColumn;
  at: Generated<Date>;
}

export type CollectivityStatus = 'active' | 'inactive';

export interface CollectivitiesTable {
  siret: string;
  code_cog: string;
  name: string;
  departement: string;
  code_postal: string;
  status: CollectivityStatus;
  /** Lower-cased, accent-free name, for the search. */
  search_name: string;
  editor: string | null;
  /** URL prefixes a `redirect_uri` must start with for this collectivity. */
  allowed_redirect_prefixes: ColumnType<string[], string, string>;
  /** The old form's API answered a number as `id`: stable per collectivity, never reused (migration 0013). */
  id: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Counted events per hour (migration 0004); '' means "no collectivity" or "no code". Nothing personal. */
export interface MetricCountsTable {
  kind: string;
  collectivity_siret: Generated<string>;
  code: Generated<string>;
  hour: Date;
  count: number;
}

export type WebhookOwnerKind = 'collectivity' | 'editeur';
export type WebhookEndpointStatus = 'active' | 'disabled';
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEndpointsTable {
  id: string;
  owner_kind: WebhookOwnerKind;
  /** A collectivity's SIRET, or an éditeur's name as collectivities.editor holds it. */
  owner: string;
  url: string;
  /** The signing secret, sealed (src/webhooks/sealed-secret.ts): never stored in clear. */
  secret_sealed: Uint8Array;
  /** The secret a rotation replaced, sealed the same way; it signs too until previous_secret_until (migration 0012). */
  previous_secret_sealed: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  previous_secret_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  events: ColumnType<string[], string, string>;
  description: string | null;
  status: WebhookEndpointStatus;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_type: string;
  /** One delivery per event and endpoint, whatever retries or second publications happen. */
  event_key: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: Date;
  give_up_at: Date;
  lease_until: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** A piece of HubEE follow-up work held by one instance (migration 0003): `notification:{id}` or `closing:{reference}`. */
export interface HubeeFollowUpClaimsTable {
  key: string;
  owner: string;
  lease_until: Date;
  attempts: Generated<number>;
  last_error: string | null;
  done_at: Date | null;
  created_at: Generated<Date>;
}

/** Each DataPass delivery once (migration 0003). Nothing personal. */
export interface DatapassEventsTable {
  id: Generated<number>;
  body_digest: string;
  event: string;
  model_type: string | null;
  habilitation_id: number | null;
  organization_siret: string | null;
  fired_at: Date | null;
  outcome: string;
  received_at: Generated<Date>;
}

export type OnboardingStatus = 'pending' | 'done' | 'failed' | 'ended';

/** The onboarding of a collectivity from a DataPass habilitation (migration 0003). */
export interface OnboardingsTable {
  habilitation_id: number;
  siret: string;
  editor: string | null;
  status: OnboardingStatus;
  step: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** Encrypted applicant contact (HubEE's local administrator); null once done. */
  payload: Uint8Array | null;
  hubee_subscription_id: string | null;
  lease_until: Date | null;
  next_attempt_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
}

export type AgentRole = 'administrateur' | 'agent';
export type AgentSource = 'datapass' | 'seed' | 'agent' | 'operator';

/** Who may act for a commune in the espace collectivité (migration 0006); the e-mail only encrypted. */
export interface CollectivityAgentsTable {
  id: string;
  collectivity_siret: string;
  /** Keyed hash of the lower-cased e-mail, to find an agent without decrypting. */
  email_hash: string;
  email: Uint8Array;
  role: AgentRole;
  added_by: AgentSource;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** `job`: a background job acting for the commune (migration 0009), such as the mise à jour annuelle. */
export type JournalActorKind = 'agent' | 'operator' | 'datapass' | 'seed' | 'job';

/** Changes of the lists of agents and sign-ins (migration 0006): actor and target encrypted, never a family. */
export interface EspaceJournalTable {
  id: string;
  at: Generated<Date>;
  collectivity_siret: string | null;
  actor_kind: JournalActorKind;
  actor: Uint8Array | null;
  action: string;
  target: Uint8Array | null;
  detail: string | null;
  /** Set instead of collectivity_siret for an éditeur's journal (migration 0011). */
  editeur_siret: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Whose session a row is (migration 0008): an agent's of the espace, or an operator's of the back office. */
export type SessionKind = 'agent' | 'operator';

export interface EspaceSessionsTable {
  id_hash: string;
  kind: SessionKind;
  payload: Uint8Array;
  created_at: Generated<Date>;
  idle_expires_at: Date;
  absolute_expires_at: Date;
}

/** What a commune shows its families (migration 0006): its town hall's public contact and its own text. */
export interface CollectivityFamilyInfoTable {
  collectivity_siret: string;
  service_name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  opening_hours: string | null;
  without_franceconnect_text: string | null;
  updated_at: Generated<Date>;
}

/** An éditeur, the software vendor of some communes (migration 0011). */
export interface EditeursTable {
  siret: string;
  name: string;
  datapass_id: string | null;
  created_at: Generated<Date>;
}

export type ClientLinkSource = 'datapass' | 'operator' | 'seed';

export interface EditeurClientsTable {
  editeur_siret: string;
  collectivity_siret: string;
  linked_by: ClientLinkSource;
  created_at: Generated<Date>;
}

/** An éditeur's employees allowed in its espace (migration 0011); the e-mail only encrypted. */
export interface EditeurMembersTable {
  id: string;
  editeur_siret: string;
  email_hash: string;
  email: Uint8Array;
  role: AgentRole;
  added_by: AgentSource;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type OrganisationKind = 'collectivity' | 'editeur';

/** API keys of an organisation (migration 0011): only a SHA-256 of the secret is kept. */
export interface ApiKeysTable {
  id: string;
  prefix: string;
  secret_hash: string;
  name: string;
  owner_kind: OrganisationKind;
  owner_siret: string;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

/** A commune's API Particulier token (migration 0009): sealed, bound to the SIRET; the last four for display only. */
export interface CommuneApiParticulierTokensTable {
  collectivity_siret: string;
  token_sealed: Uint8Array;
  last_four: string;
  saved_at: Generated<Date>;
}

export type QfRefreshBatchState = 'checked' | 'running' | 'paused' | 'cancelled' | 'done';
export type QfRefreshPauseReason = 'agent' | 'rate_limited' | 'token_refused' | 'no_token';
export type QfRefreshFamilyState = 'invalid' | 'pending' | 'claimed' | 'done';

/** A commune's Mise à jour annuelle (migration 0010): the agent's e-mail sealed, no family in clear. */
export interface QfRefreshBatchesTable {
  id: string;
  collectivity_siret: string;
  agent_id: string;
  agent_email: Uint8Array;
  state: QfRefreshBatchState;
  pause_reason: QfRefreshPauseReason | null;
  resume_at: Date | null;
  annee: number | null;
  mois: number | null;
  families: number;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Generated<Date>;
  expires_at: Date;
  confirmed_at: Date | null;
  finished_at: Date | null;
  downloaded_at: Date | null;
}

/** One family of a Mise à jour annuelle: identity and outcome sealed, `statut` the outcome's kind (`ok`, `not_found`…). */
export interface QfRefreshFamiliesTable {
  batch_id: string;
  position: number;
  identity: Uint8Array;
  state: QfRefreshFamilyState;
  claimed_by: string | null;
  statut: string | null;
  outcome: Uint8Array | null;
}
