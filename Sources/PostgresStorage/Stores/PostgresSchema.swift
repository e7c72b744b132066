/// The schema on PostgreSQL, as migrations named and meant exactly as SQLite's
/// (`SQLiteSchema`): the same tables and columns, in each engine's own types. Shipped
/// migrations are never edited; a change is a new migration at the end, on both engines.
///
/// `AspNetUsers` is the table ASP.NET Core Identity's EF Core migrations create with Npgsql
/// (quoted PascalCase, `boolean` flags, `timestamp with time zone` lockout end,
/// `character varying(256)` names), plus FirstName and LastName, so a database moves between
/// the two. Like on SQLite, EmailIndex is unique (ASP.NET checks in code, which two processes
/// can race past). Countersign's own tables keep times as `double precision` Unix seconds,
/// as on SQLite, so both engines share one arithmetic of windows and expiries.
enum PostgresSchema {
    static func register(on migrator: PostgresMigrator) {
        migrator.register("0001_aspnet_users", sql: aspNetUsers)
        migrator.register("0002_sessions", sql: sessions)
        migrator.register("0003_rate_limit_events", sql: rateLimitEvents)
        migrator.register("0004_security_events", sql: securityEvents)
        migrator.register("0100_phone_verifications", sql: phoneVerifications)
        migrator.register("0200_blocked_numbers", sql: blockedNumbers)
        migrator.register("0201_registrations", sql: registrations)
        migrator.register("0300_verification_purpose", sql: verificationPurpose)
        migrator.register("0301_recovery_codes", sql: recoveryCodes)
        migrator.register("0302_session_client_address", sql: "ALTER TABLE countersign_sessions ADD COLUMN client_address text NULL;")
    }

    static let aspNetUsers = """
        CREATE TABLE "AspNetUsers" (
            "Id" text NOT NULL,
            "UserName" character varying(256) NULL,
            "NormalizedUserName" character varying(256) NULL,
            "Email" character varying(256) NULL,
            "NormalizedEmail" character varying(256) NULL,
            "EmailConfirmed" boolean NOT NULL,
            "PasswordHash" text NULL,
            "SecurityStamp" text NULL,
            "ConcurrencyStamp" text NULL,
            "PhoneNumber" text NULL,
            "PhoneNumberConfirmed" boolean NOT NULL,
            "TwoFactorEnabled" boolean NOT NULL,
            "LockoutEnd" timestamp with time zone NULL,
            "LockoutEnabled" boolean NOT NULL,
            "AccessFailedCount" integer NOT NULL,
            "FirstName" text NOT NULL,
            "LastName" text NULL,
            CONSTRAINT "PK_AspNetUsers" PRIMARY KEY ("Id")
        );
        CREATE UNIQUE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
        CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
        """

    static let sessions = """
        CREATE TABLE countersign_sessions (
            id_hash text NOT NULL PRIMARY KEY,
            user_id text NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            security_stamp text NOT NULL,
            created_at double precision NOT NULL,
            last_seen_at double precision NOT NULL,
            expires_at double precision NOT NULL,
            persistent boolean NOT NULL
        );
        CREATE INDEX countersign_sessions_user_id ON countersign_sessions (user_id);
        CREATE INDEX countersign_sessions_expires_at ON countersign_sessions (expires_at);
        CREATE INDEX countersign_sessions_last_seen_at ON countersign_sessions (last_seen_at);
        """

    static let rateLimitEvents = """
        CREATE TABLE countersign_rate_limit_events (
            id bigserial PRIMARY KEY,
            key text NOT NULL,
            at double precision NOT NULL
        );
        CREATE INDEX countersign_rate_limit_events_key_at ON countersign_rate_limit_events (key, at);
        CREATE INDEX countersign_rate_limit_events_at ON countersign_rate_limit_events (at);
        """

    /// Append-only for the application, as on SQLite: a trigger refuses UPDATE and DELETE.
    static let securityEvents = """
        CREATE TABLE countersign_security_events (
            id bigserial PRIMARY KEY,
            time double precision NOT NULL,
            kind text NOT NULL,
            user_id text NULL,
            ip_address text NULL,
            phone_number text NULL,
            detail text NULL
        );
        CREATE INDEX countersign_security_events_user_id ON countersign_security_events (user_id, id);
        CREATE FUNCTION countersign_security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'countersign_security_events is append-only';
        END;
        $$;
        CREATE TRIGGER countersign_security_events_append_only BEFORE UPDATE OR DELETE ON countersign_security_events
        FOR EACH ROW EXECUTE FUNCTION countersign_security_events_append_only();
        """

    static let phoneVerifications = """
        CREATE TABLE countersign_phone_verifications (
            user_id text NOT NULL PRIMARY KEY REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            phone_number text NOT NULL,
            code_hash bytea NULL,
            expires_at double precision NOT NULL,
            attempts integer NOT NULL,
            sends integer NOT NULL,
            last_sent_at double precision NOT NULL,
            created_at double precision NOT NULL
        );
        CREATE INDEX countersign_phone_verifications_expires_at ON countersign_phone_verifications (expires_at);
        """

    static let blockedNumbers = """
        CREATE TABLE countersign_blocked_numbers (
            phone_number text NOT NULL PRIMARY KEY,
            blocked_at double precision NOT NULL,
            until double precision NULL
        );
        """

    /// Accounts that exist when this table is created count as registered at that moment.
    static let registrations = """
        CREATE TABLE countersign_registrations (
            user_id text NOT NULL PRIMARY KEY REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            registered_at double precision NOT NULL
        );
        CREATE INDEX countersign_registrations_registered_at ON countersign_registrations (registered_at);
        INSERT INTO countersign_registrations (user_id, registered_at)
            SELECT "Id", extract(epoch from now()) FROM "AspNetUsers";
        """

    /// One pending code per user and purpose (phone verification, sign-in, password reset).
    static let verificationPurpose = """
        ALTER TABLE countersign_phone_verifications ADD COLUMN purpose text NOT NULL DEFAULT 'phone';
        ALTER TABLE countersign_phone_verifications ALTER COLUMN purpose DROP DEFAULT;
        ALTER TABLE countersign_phone_verifications DROP CONSTRAINT countersign_phone_verifications_pkey;
        ALTER TABLE countersign_phone_verifications ADD PRIMARY KEY (user_id, purpose);
        """

    /// Keyed hashes of unused two-factor recovery codes; they go with their user.
    static let recoveryCodes = """
        CREATE TABLE countersign_recovery_codes (
            user_id text NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            code_hash text NOT NULL,
            PRIMARY KEY (user_id, code_hash)
        );
        """
}
