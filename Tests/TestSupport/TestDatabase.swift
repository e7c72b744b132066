public import Crypto
public import Foundation
import PostgresStorage
import SQLiteStorage
public import Storage
public import Timekeeping

/// The storage engine the storage and phone suites run against, from the environment:
/// `COUNTERSIGN_TEST_STORAGE=postgres` (with `COUNTERSIGN_TEST_POSTGRES_URL`, a key/value libpq
/// string such as `host=/tmp/pg port=5433 user=postgres dbname=postgres`, which `make test`
/// sets after starting its own server) or `sqlite` (the default). One test code, two engines:
/// whatever a test asserts holds on both.
public enum TestStorageEngine: String, Sendable {
    case sqlite
    case postgres

    public static var current: TestStorageEngine {
        ProcessInfo.processInfo.environment["COUNTERSIGN_TEST_STORAGE"].flatMap(TestStorageEngine.init(rawValue:)) ?? .sqlite
    }
}

/// A fresh, empty database for one test — a SQLite file in its own folder, or a PostgreSQL
/// schema of its own — removed when the test ends. `open()` gives a new connection each call,
/// as a new worker process would have.
public final class TestDatabase: @unchecked Sendable {
    public let engine: TestStorageEngine
    public let clock: ManualClock
    /// SQLite: the file.
    public let path: String
    public let directory: URL
    /// PostgreSQL: the connection string with this test's schema as its search path.
    private let postgresURL: String
    private let schema: String

    public init(clock: ManualClock = ManualClock(), engine: TestStorageEngine = .current) throws {
        self.engine = engine
        self.clock = clock
        let name = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-tests-\(name)")
        path = directory.appendingPathComponent("test.db").path
        schema = "test_\(name)"
        switch engine {
        case .sqlite:
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            postgresURL = ""
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["COUNTERSIGN_TEST_POSTGRES_URL"] else {
                throw TestDatabaseError.noPostgres
            }
            try PostgresConnection(connectionString: base).execute("CREATE SCHEMA \(schema)")
            postgresURL = base + " options='-c search_path=\(schema) -c TimeZone=UTC'"
        }
    }

    deinit {
        switch engine {
        case .sqlite:
            try? FileManager.default.removeItem(at: directory)
        case .postgres:
            if let base = ProcessInfo.processInfo.environment["COUNTERSIGN_TEST_POSTGRES_URL"] {
                try? PostgresConnection(connectionString: base).execute("DROP SCHEMA \(schema) CASCADE")
            }
        }
    }

    /// A new connection to this database (schema not touched).
    public func open(random: any RandomSource = SecureRandom()) throws -> any StorageBackend {
        switch engine {
        case .sqlite: try SQLiteStorage(path: path, clock: clock, random: random)
        case .postgres: PostgresStorage(connectionString: postgresURL, clock: clock, random: random)
        }
    }

    /// A new connection with the schema applied.
    public func migratedStorage(random: any RandomSource = SecureRandom()) throws -> any StorageBackend {
        let storage = try open(random: random)
        try storage.migrate()
        return storage
    }

    /// One integer from SQL written for both engines (no parameters), e.g. a `count(*)`.
    public func scalar(_ sql: String) throws -> Int {
        switch engine {
        case .sqlite: try SQLiteConnection(path: path).queryFirst(sql) { $0.int(at: 0) } ?? -1
        case .postgres: try PostgresConnection(connectionString: postgresURL).queryFirst(sql) { $0.int(at: 0) } ?? -1
        }
    }

    /// The first column of every row as text (NULL as nil), from SQL written for both engines.
    public func texts(_ sql: String) throws -> [String?] {
        switch engine {
        case .sqlite: try SQLiteConnection(path: path).query(sql) { $0.optionalString(at: 0) }
        case .postgres: try PostgresConnection(connectionString: postgresURL).query(sql) { $0.optionalString(at: 0) }
        }
    }

    /// The value for this test's engine: where the two store one thing in their own formats.
    public func expected<T>(sqlite: T, postgres: T) -> T {
        engine == .sqlite ? sqlite : postgres
    }

    /// Runs one statement written for both engines with `$1`, `$2`… parameters (SQLite reads
    /// them as named parameters, bound in order of appearance: use each once, in order).
    /// Arguments are `String`, `Int`, `Double`, `[UInt8]` or nil.
    public func run(_ sql: String, _ arguments: [(any Sendable)?]) throws {
        switch engine {
        case .sqlite:
            try SQLiteConnection(path: path).run(sql, arguments.map { $0 as? any SQLiteValueConvertible })
        case .postgres:
            try PostgresConnection(connectionString: postgresURL).run(sql, arguments.map { $0 as? any PostgresValueConvertible })
        }
    }

    /// Runs SQL written for both engines (no parameters): a test reaching past the stores.
    public func execute(_ sql: String) throws {
        switch engine {
        case .sqlite: try SQLiteConnection(path: path).execute(sql)
        case .postgres: try PostgresConnection(connectionString: postgresURL).execute(sql)
        }
    }
}

public enum TestDatabaseError: Error, CustomStringConvertible {
    case noPostgres

    public var description: String {
        "COUNTERSIGN_TEST_STORAGE=postgres needs COUNTERSIGN_TEST_POSTGRES_URL (make test starts a server and sets it)"
    }
}
