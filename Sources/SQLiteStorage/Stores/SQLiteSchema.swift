/// The schema of Countersign's own tables, as migrations. Shipped migrations are never edited:
/// a change is a new migration appended at the end.
///
/// Dates: `AspNetUsers.LockoutEnd` is EF Core's DateTimeOffset text (see `DateTimeOffsetText`),
/// so the table stays interchangeable with ASP.NET Core Identity. Every other date, in our own
/// tables, is a REAL number of seconds since 1970-01-01 UTC (Unix time with a fraction), which
/// compares and subtracts directly in SQL; `countersign_migrations.applied_at` is text for
/// people reading it.
enum SQLiteSchema {
    static func register(on migrator: Migrator) {
        migrator.register("0001_aspnet_users", sql: aspNetUsers)
        migrator.register("0002_sessions", sql: sessions)
        migrator.register("0003_rate_limit_events", sql: rateLimitEvents)
        migrator.register("0004_security_events", sql: securityEvents)
        migrator.register("0100_phone_verifications", sql: phoneVerifications)
        migrator.register("0200_blocked_numbers", sql: blockedNumbers)
        migrator.register("0201_registrations", sql: registrations)
        migrator.register("0300_verification_purpose", sql: verificationPurpose)
        migrator.register("0301_recovery_codes", sql: recoveryCodes)
        migrator.register("0302_session_client_address", sql: "ALTER TABLE countersign_sessions ADD COLUMN client_address TEXT NULL;")
    }

    /// Keyed hashes of unused two-factor recovery codes; they go with their user.
    static let recoveryCodes = """
        CREATE TABLE countersign_recovery_codes (
            user_id TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            PRIMARY KEY (user_id, code_hash)
        ) WITHOUT ROWID;
        """

    /// ASP.NET Core Identity's table as EF Core creates it in SQLite (names, types,
    /// nullability), plus FirstName and LastName. One difference: EF's EmailIndex is not unique
    /// (ASP.NET checks in code, which two processes can race past); ours is.
    static let aspNetUsers = """
        CREATE TABLE "AspNetUsers" (
            "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
            "UserName" TEXT NULL,
            "NormalizedUserName" TEXT NULL,
            "Email" TEXT NULL,
            "NormalizedEmail" TEXT NULL,
            "EmailConfirmed" INTEGER NOT NULL,
            "PasswordHash" TEXT NULL,
            "SecurityStamp" TEXT NULL,
            "ConcurrencyStamp" TEXT NULL,
            "PhoneNumber" TEXT NULL,
            "PhoneNumberConfirmed" INTEGER NOT NULL,
            "TwoFactorEnabled" INTEGER NOT NULL,
            "LockoutEnd" TEXT NULL,
            "LockoutEnabled" INTEGER NOT NULL,
            "AccessFailedCount" INTEGER NOT NULL,
            "FirstName" TEXT NOT NULL,
            "LastName" TEXT NULL
        );
        CREATE UNIQUE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
        CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
        """

    /// Sign-ins, keyed by the SHA-256 of the cookie id. They go with their user.
    static let sessions = """
        CREATE TABLE countersign_sessions (
            id_hash TEXT NOT NULL PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            security_stamp TEXT NOT NULL,
            created_at REAL NOT NULL,
            last_seen_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            persistent INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX countersign_sessions_user_id ON countersign_sessions (user_id);
        CREATE INDEX countersign_sessions_expires_at ON countersign_sessions (expires_at);
        CREATE INDEX countersign_sessions_last_seen_at ON countersign_sessions (last_seen_at);
        """

    /// One row per counted event; a limit counts the rows of its key inside its window.
    static let rateLimitEvents = """
        CREATE TABLE countersign_rate_limit_events (
            key TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX countersign_rate_limit_events_key_at ON countersign_rate_limit_events (key, at);
        CREATE INDEX countersign_rate_limit_events_at ON countersign_rate_limit_events (at);
        """

    /// The audit trail. Triggers make it append-only for the application; an operator who must
    /// purge it (retention, erasure requests) drops the trigger deliberately first. No foreign
    /// key on user_id: events outlive users and may name ids that never existed.
    static let securityEvents = """
        CREATE TABLE countersign_security_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time REAL NOT NULL,
            kind TEXT NOT NULL,
            user_id TEXT NULL,
            ip_address TEXT NULL,
            phone_number TEXT NULL,
            detail TEXT NULL
        );
        CREATE INDEX countersign_security_events_user_id ON countersign_security_events (user_id, id);
        CREATE TRIGGER countersign_security_events_no_update BEFORE UPDATE ON countersign_security_events
        BEGIN SELECT RAISE(ABORT, 'countersign_security_events is append-only'); END;
        CREATE TRIGGER countersign_security_events_no_delete BEFORE DELETE ON countersign_security_events
        BEGIN SELECT RAISE(ABORT, 'countersign_security_events is append-only'); END;
        """

    /// One pending verification per user; it goes with its user.
    static let phoneVerifications = """
        CREATE TABLE countersign_phone_verifications (
            user_id TEXT NOT NULL PRIMARY KEY REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            phone_number TEXT NOT NULL,
            code_hash BLOB NULL,
            expires_at REAL NOT NULL,
            attempts INTEGER NOT NULL,
            sends INTEGER NOT NULL,
            last_sent_at REAL NOT NULL,
            created_at REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX countersign_phone_verifications_expires_at ON countersign_phone_verifications (expires_at);
        """

    /// The operator's deny list of phone numbers (E.164); `until` NULL blocks without end.
    static let blockedNumbers = """
        CREATE TABLE countersign_blocked_numbers (
            phone_number TEXT NOT NULL PRIMARY KEY,
            blocked_at REAL NOT NULL,
            until REAL NULL
        ) WITHOUT ROWID;
        """

    /// When each account registered (unconfirmed accounts expire). Accounts that exist when
    /// this table is created count as registered at that moment, so none expires at once.
    static let registrations = """
        CREATE TABLE countersign_registrations (
            user_id TEXT NOT NULL PRIMARY KEY REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            registered_at REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX countersign_registrations_registered_at ON countersign_registrations (registered_at);
        INSERT INTO countersign_registrations (user_id, registered_at)
            SELECT "Id", CAST(strftime('%s', 'now') AS REAL) FROM "AspNetUsers";
        """

    /// One pending code per user *and purpose* (phone verification, sign-in, password reset):
    /// SQLite cannot change a primary key in place, so the table is rebuilt.
    static let verificationPurpose = """
        CREATE TABLE countersign_phone_verifications_0300 (
            user_id TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
            purpose TEXT NOT NULL,
            phone_number TEXT NOT NULL,
            code_hash BLOB NULL,
            expires_at REAL NOT NULL,
            attempts INTEGER NOT NULL,
            sends INTEGER NOT NULL,
            last_sent_at REAL NOT NULL,
            created_at REAL NOT NULL,
            PRIMARY KEY (user_id, purpose)
        ) WITHOUT ROWID;
        INSERT INTO countersign_phone_verifications_0300
            (user_id, purpose, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at)
            SELECT user_id, 'phone', phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at
            FROM countersign_phone_verifications;
        DROP TABLE countersign_phone_verifications;
        ALTER TABLE countersign_phone_verifications_0300 RENAME TO countersign_phone_verifications;
        CREATE INDEX countersign_phone_verifications_expires_at ON countersign_phone_verifications (expires_at);
        """
}
