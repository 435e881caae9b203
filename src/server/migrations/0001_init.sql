-- The sync server's first schema. Migrations are append-only: never edit an applied file, add
-- the next number. Only SQL that PostgreSQL 15 accepts (PGlite is newer).

-- Org units: group → province → city → store, as paths (`group/江苏/南京/JS0001`).
CREATE TABLE units (
  path   text PRIMARY KEY,
  kind   text NOT NULL CHECK (kind IN ('group', 'province', 'city', 'store')),
  name   text NOT NULL,
  parent text REFERENCES units (path)
);
INSERT INTO units (path, kind, name, parent) VALUES ('group', 'group', '集团', NULL);

CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  -- A pull cursor older than this version must start again (the user's units changed).
  scope_version bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE roles (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role    text NOT NULL CHECK (role IN ('store-manager', 'inspector', 'certifier', 'admin', 'viewer')),
  unit    text NOT NULL REFERENCES units (path),
  PRIMARY KEY (user_id, role, unit)
);

CREATE TABLE devices (
  id         text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id),
  last_seq   bigint NOT NULL DEFAULT 0,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Tokens are stored only as SHA-256 hashes.
CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id    text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_device ON sessions (device_id);

CREATE TABLE login_failures (
  key text NOT NULL,
  at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- One row: the next server version, and the horizon below which tombstones may be gone.
-- Writers take this row's lock (UPDATE … RETURNING) as their last step before writing rows, so
-- versions become visible in order: a pull never skips a row that commits late.
CREATE TABLE sync_clock (
  id      int PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL,
  horizon bigint NOT NULL
);
INSERT INTO sync_clock (id, version, horizon) VALUES (1, 0, 0);

-- Every synced record (stores, evaluations, actions, certification entries, rubrics, policies).
-- A deletion keeps the row as a tombstone (deleted, data null) until purged below the horizon.
CREATE TABLE records (
  kind       text NOT NULL,
  id         text NOT NULL,
  unit       text NOT NULL,
  store_code text,
  period     text,
  version    bigint NOT NULL,
  deleted    boolean NOT NULL DEFAULT false,
  data       jsonb,
  author_id  bigint,
  updated_by bigint,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, id)
);
CREATE UNIQUE INDEX records_version ON records (version);
CREATE INDEX records_period ON records (kind, period) WHERE NOT deleted;

-- What each device's pushes did, so a repeated push answers the same without a second effect.
CREATE TABLE pushes (
  device_id text NOT NULL,
  seq       bigint NOT NULL,
  user_id   bigint NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  result    jsonb NOT NULL,
  PRIMARY KEY (device_id, seq)
);

-- Certification runs serialised per unit and period: a step locks this row first.
CREATE TABLE certification_locks (
  period text NOT NULL,
  unit   text NOT NULL,
  PRIMARY KEY (period, unit)
);

CREATE TABLE photos (
  sha256     text PRIMARY KEY,
  mime       text NOT NULL,
  size       bigint NOT NULL,
  uploaded_by bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: who, when, from which device, what.
CREATE TABLE audit (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  user_id   bigint,
  username  text,
  device_id text,
  action    text NOT NULL,
  kind      text,
  target    text,
  unit      text,
  detail    jsonb
);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
