/// A storage whose every row can be read out: the source of `countersign storage copy`.
public protocol StorageExporting: StorageBackend {
    /// Calls `each` with every row, from one consistent read of the whole database, table by
    /// table in `StorageTable` order (users first, so foreign keys hold at the target), security
    /// events in the order they were appended. Throws `StorageCopyError.schemaMismatch` when the
    /// schema is not exactly this build's (call `migrate()` first), and rethrows what `each`
    /// throws, which stops the export.
    func exportAll(_ each: (StorageRow) throws -> Void) throws
}

/// A storage that can be filled from another: the target of `countersign storage copy`.
public protocol StorageImporting: StorageBackend {
    /// In one transaction: refuses with `StorageCopyError.targetNotEmpty` unless the storage
    /// holds no users, security events or blocked numbers (so a copy never merges into a live
    /// site's data), then writes every row that `rows` passes to its argument, exactly as
    /// given. Either every row is written or, when anything fails, none is. While it runs,
    /// other writers of users wait for it. Returns how many rows of each table were written.
    /// Expects a migrated schema (`migrate()` first).
    func importAll(_ rows: (_ write: (StorageRow) throws -> Void) throws -> Void) throws -> [StorageTable: Int]
}

/// Why a copy between storages was refused.
public enum StorageCopyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The target already holds data (a count per table that has rows).
    case targetNotEmpty([StorageTable: Int])
    /// The source's schema is not the one this build reads: migrations still pending, or
    /// applied migrations this build does not know (a newer Countersign wrote the database).
    case schemaMismatch(pending: [String], unknown: [String])

    public var description: String {
        switch self {
        case .targetNotEmpty(let counts):
            let held = StorageTable.allCases.compactMap { table in counts[table].map { "\($0) \(table.rawValue)" } }
            return "the target database is not empty (it holds \(held.joined(separator: ", "))); "
                + "storage copy only fills an empty database"
        case .schemaMismatch(let pending, let unknown):
            if !unknown.isEmpty {
                return "the source database was written by a newer Countersign (migrations \(unknown.joined(separator: ", "))); "
                    + "copy it with that version"
            }
            return "the source database is behind this Countersign (pending migrations \(pending.joined(separator: ", "))); "
                + "run its migrations first"
        }
    }
}
