import Foundation
import SQLiteStorage
import Storage
import Testing
import TestSupport

@Suite("SQLiteConnection and Statement")
struct SQLiteConnectionTests {
    @Test func opensWithWALBusyTimeoutForeignKeysAndNormalSync() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        #expect(try connection.queryFirst("PRAGMA journal_mode") { $0.string(at: 0) } == "wal")
        #expect(try connection.queryFirst("PRAGMA busy_timeout") { $0.int(at: 0) } == 5000)
        #expect(try connection.queryFirst("PRAGMA foreign_keys") { $0.int(at: 0) } == 1)
        #expect(try connection.queryFirst("PRAGMA synchronous") { $0.int(at: 0) } == 1)  // NORMAL
    }

    @Test func openingAFileInAMissingFolderCarriesSQLitesMessage() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let path = db.directory.appendingPathComponent("missing/folder/x.db").path
        let error = try #require(throws: SQLiteError.self) { try SQLiteConnection(path: path) }
        #expect(error.code == .cantOpen)
        #expect(error.message.contains(path))
        #expect(error.message.contains("unable to open database file"))
    }

    @Test func bindsEachSwiftTypeByIndexAndReadsItBack() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        try connection.execute("CREATE TABLE t (v)")
        let cases: [((any SQLiteValueConvertible)?, SQLiteValue, String)] = [
            (42, .integer(42), "integer"),
            (Int64.min, .integer(.min), "integer"),
            (true, .integer(1), "integer"),
            (false, .integer(0), "integer"),
            (2.5, .real(2.5), "real"),
            ("héllo ✓", .text("héllo ✓"), "text"),
            ("", .text(""), "text"),
            ("a\u{0}b", .text("a\u{0}b"), "text"),
            (Data([0, 1, 255]), .blob([0, 1, 255]), "blob"),
            ([UInt8]([7, 0, 9]), .blob([7, 0, 9]), "blob"),
            ([UInt8](), .blob([]), "blob"),
            (nil, .null, "null"),
            (Optional<String>.none, .null, "null"),
            (Optional("x"), .text("x"), "text"),
        ]
        let insert = try connection.prepare("INSERT INTO t (v) VALUES (?)")
        for (value, _, _) in cases {
            insert.reset()
            try insert.bind(value, at: 1)
            try insert.run()
        }
        let rows = try connection.query("SELECT v, typeof(v) FROM t ORDER BY rowid") { ($0.value(at: 0), $0.string(at: 1)) }
        #expect(rows.count == cases.count)
        for (row, expected) in zip(rows, cases) {
            #expect(row.0 == expected.1)
            #expect(row.1 == expected.2)
        }
    }

    @Test func typedReadersConvertLikeSQLite() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        let row = try #require(try connection.queryFirst("SELECT 7, 1.5, 'txt', x'0102', NULL") { row in
            (row.int(at: 0), row.bool(at: 0), row.double(at: 1), row.string(at: 2), row.bytes(at: 3), row.data(at: 3),
             row.optionalString(at: 4), row.optionalInt(at: 4), row.optionalDouble(at: 4), row.isNull(at: 4),
             row.columnCount)
        })
        #expect(row.0 == 7)
        #expect(row.1)
        #expect(row.2 == 1.5)
        #expect(row.3 == "txt")
        #expect(row.4 == [1, 2])
        #expect(row.5 == Data([1, 2]))
        #expect(row.6 == nil && row.7 == nil && row.8 == nil && row.9)
        #expect(row.10 == 5)
    }

    @Test func bindsByNameWithOrWithoutPrefix() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        let statement = try connection.prepare("SELECT :a, @b, $c, :d")
        try statement.bind(1, named: ":a")
        try statement.bind("two", named: "b")
        try statement.bind(["c": 3.0, "@b": "two", ":d": true])
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .integer(1))
        #expect(statement.value(at: 1) == .text("two"))
        #expect(statement.value(at: 2) == .real(3))
        #expect(statement.value(at: 3) == .integer(1))
        #expect(statement.columnName(at: 0) == ":a")
        statement.reset()

        let error = try #require(throws: SQLiteError.self) { try statement.bind(1, named: "nope") }
        #expect(error.code == .range)
        #expect(error.message == "no parameter named nope")
        #expect(error.sql == "SELECT :a, @b, $c, :d")
    }

    @Test func aWrongNumberOfArgumentsIsAnError() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        let error = try #require(throws: SQLiteError.self) { try connection.run("SELECT ?, ?", [1]) }
        #expect(error.code == .range)
        #expect(error.message == "expected 2 arguments, got 1")
        let outOfRange = try #require(throws: SQLiteError.self) { try connection.prepare("SELECT ?").bind(1, at: 2) }
        #expect(outOfRange.code == .range)
        #expect(outOfRange.message == "column index out of range")
    }

    @Test(arguments: [
        ("SELEC 1", "near \"SELEC\": syntax error"),
        ("SELECT * FROM nowhere", "no such table: nowhere"),
        ("SELECT nope FROM sqlite_master", "no such column: nope"),
    ])
    func aBadStatementCarriesCodeMessageAndSQL(sql: String, message: String) throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        for attempt: () throws -> Void in [{ _ = try connection.prepare(sql) }, { try connection.run(sql) }, { try connection.execute(sql) }] {
            let error = try #require(throws: SQLiteError.self) { try attempt() }
            #expect(error.code == .error)
            #expect(error.message == message)
            #expect(error.sql == sql)
            #expect(error.description == "SQLite error 1 (SQL logic error): \(message) [SQL: \(sql)]")
        }
    }

    @Test func aFailingStepCarriesTheExtendedCode() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        try connection.execute("CREATE TABLE t (v TEXT NOT NULL)")
        let sql = "INSERT INTO t (v) VALUES (?)"
        let error = try #require(throws: SQLiteError.self) { try connection.run(sql, [nil]) }
        #expect(error.code == .constraintNotNull)
        #expect(error.code.primary == .constraint)
        #expect(error.message == "NOT NULL constraint failed: t.v")
        #expect(error.sql == sql)
        // The cached statement was reset by the failure and works again.
        #expect(try connection.run(sql, ["ok"]) == 1)
    }

    @Test func aDuplicateKeyIsATypedError() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        try connection.execute("CREATE TABLE t (a TEXT PRIMARY KEY, b TEXT, c TEXT, UNIQUE (b, c))")
        try connection.run("INSERT INTO t VALUES ('1', 'x', 'y')")
        let unique = try #require(throws: SQLiteUniqueViolation.self) {
            try connection.run("INSERT INTO t VALUES ('2', 'x', 'y')")
        }
        #expect(unique.columns == ["t.b", "t.c"])
        #expect(unique.involves(table: "t", column: "c"))
        #expect(unique.underlying.code == .constraintUnique)
        let primary = try #require(throws: SQLiteUniqueViolation.self) {
            try connection.run("INSERT INTO t VALUES ('1', 'p', 'q')")
        }
        #expect(primary.columns == ["t.a"])
        #expect(primary.underlying.code == .constraintPrimaryKey)
    }

    @Test func prepareRefusesASecondStatementButExecuteRunsAScript() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        let error = try #require(throws: SQLiteError.self) {
            try connection.prepare("CREATE TABLE a (x); CREATE TABLE b (x)")
        }
        #expect(error.code == .misuse)
        try connection.execute("CREATE TABLE a (x); -- comment\n CREATE TABLE b (x); ")
        #expect(try connection.query("SELECT name FROM sqlite_master ORDER BY name") { $0.string(at: 0) } == ["a", "b"])
    }

    @Test func cachedStatementsArePreparedOncePerSQL() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        let first = try connection.cachedStatement("SELECT ?")
        try first.bind([5])
        let again = try connection.cachedStatement("SELECT ?")
        #expect(first === again)
        #expect(try connection.cachedStatement("SELECT 2") !== first)
        // Handed out again: bindings cleared.
        #expect(try again.step())
        #expect(again.isNull(at: 0))
        again.reset()
        #expect(connection.cachedStatementCount >= 2)
    }

    @Test func aTransactionCommitsOrRollsBackAsAWhole() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        try connection.execute("CREATE TABLE t (v)")
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try connection.transaction {
                try connection.run("INSERT INTO t VALUES (1)")
                throw Failure()
            }
        }
        #expect(!connection.isInTransaction)
        let result = try connection.transaction {
            try connection.run("INSERT INTO t VALUES (2)")
            return connection.isInTransaction
        }
        #expect(result)
        #expect(try connection.query("SELECT v FROM t") { $0.int(at: 0) } == [2])
    }

    @Test func aNestedTransactionIsASavepoint() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let connection = try SQLiteConnection(path: db.path)
        try connection.execute("CREATE TABLE t (v)")
        struct Failure: Error {}
        try connection.transaction {
            try connection.run("INSERT INTO t VALUES ('outer')")
            #expect(throws: Failure.self) {
                try connection.transaction {
                    try connection.run("INSERT INTO t VALUES ('inner')")
                    throw Failure()
                }
            }
            try connection.transaction { try connection.run("INSERT INTO t VALUES ('kept')") }
        }
        #expect(try connection.query("SELECT v FROM t ORDER BY rowid") { $0.string(at: 0) } == ["outer", "kept"])
    }

    @Test func aTransactionTakesTheWriteLockWhenItBegins() throws {
        let db = try TemporaryDatabase(engine: .sqlite)
        let holder = try SQLiteConnection(path: db.path)
        let other = try SQLiteConnection(path: db.path, busyTimeoutMilliseconds: 0)
        try holder.execute("CREATE TABLE t (v)")
        try holder.transaction {
            // A deferred BEGIN would succeed here and fail only at its first write.
            let error = try #require(throws: SQLiteError.self) { try other.transaction { } }
            #expect(error.code.primary == .busy)
            #expect(error.sql == "BEGIN IMMEDIATE")
            // Readers are not blocked by the writer (WAL).
            #expect(try other.query("SELECT count(*) FROM t") { $0.int(at: 0) } == [0])
        }
        try other.transaction { try other.run("INSERT INTO t VALUES (1)") }
        #expect(try holder.queryFirst("SELECT count(*) FROM t") { $0.int(at: 0) } == 1)
    }
}
