import type { ColumnType, Generated } from 'kysely';

/** The tables as Kysely sees them. Personal data never has a column here in clear. */
export interface Database {
  collectivities: CollectivitiesTable;
  journeys: JourneysTable;
  shipments: ShipmentsTable;
  shipment_status_history: ShipmentStatusHistoryTable;
  metric_counts: MetricCountsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
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
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
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
  secret: string;
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

/** Counted events per hour (migration 0004); '' means "no collectivity" or "no code". Nothing personal. */
export interface MetricCountsTable {
  kind: string;
  collectivity_siret: Generated<string>;
  code: Generated<string>;
  hour: Date;
  count: number;
}
