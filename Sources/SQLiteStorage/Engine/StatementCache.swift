/// Prepared statements of one connection, keyed by their SQL text, so the hot queries of a worker
/// are compiled once per process rather than once per request.
///
/// The stores use a fixed set of SQL strings, so the capacity is a guard against a caller that
/// builds SQL dynamically, not a tuning knob: when it is reached the cache starts over.
struct StatementCache {
    let capacity: Int
    private var statements: [String: Statement] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The cached statement for `sql`, rewound and with its parameters cleared; prepared by
    /// `prepare` on first use.
    mutating func statement(for sql: String, prepare: (String) throws -> Statement) throws -> Statement {
        if let statement = statements[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try prepare(sql)
        if statements.count >= capacity { statements.removeAll() }
        statements[sql] = statement
        return statement
    }

    var count: Int { statements.count }

    mutating func removeAll() {
        statements.removeAll()
    }
}
