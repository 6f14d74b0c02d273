import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Where a collectivity or an éditeur wants to hear of transmissions. The secret signs the deliveries; it is
  // not personal data and must be readable to sign, so it is kept as is (the operator API shows it only once).
  await sql`
    CREATE TABLE webhook_endpoints (
      id text PRIMARY KEY,
      owner_kind text NOT NULL CHECK (owner_kind IN ('collectivity', 'editeur')),
      owner text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
      url text NOT NULL,
      secret text NOT NULL,
      events jsonb NOT NULL,
      description text,
      status text NOT NULL CHECK (status IN ('active', 'disabled')),
      disabled_reason text,
      disabled_at timestamptz,
      failing_since timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_kind, owner) WHERE status = 'active'`.execute(db);

  // One message to one endpoint: its id is the Standard Webhooks "webhook-id", the same at every attempt. The
  // body holds only references and statuses, never personal data.
  await sql`
    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
      event_type text NOT NULL,
      event_key text NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      give_up_at timestamptz NOT NULL,
      lease_until timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      UNIQUE (endpoint_id, event_key)
    )`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at)`.execute(db);

  // The delivery log: what the receiver answered at each attempt (status code, or why there was no answer).
  await sql`
    CREATE TABLE webhook_attempts (
      id serial PRIMARY KEY,
      delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      at timestamptz NOT NULL,
      status_code integer,
      error text,
      duration_ms integer NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE webhook_attempts`.execute(db);
  await sql`DROP TABLE webhook_deliveries`.execute(db);
  await sql`DROP TABLE webhook_endpoints`.execute(db);
}
