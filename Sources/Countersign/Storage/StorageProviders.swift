import Config
import Crypto
import PostgresStorage
import SQLiteStorage
import Storage
import Timekeeping

/// The storage engines `storage.provider` may name, as `SmsProviders` does for `sms.provider`:
/// each reads and checks its own keys, then opens its `StorageBackend`. Adding an engine is one
/// module and one case in `make`.
enum StorageProviders {
    /// Opens the chosen storage once the whole config is known to be sound.
    typealias Opener = (_ clock: any WallClock, _ random: any RandomSource) throws -> any StorageBackend

    static let configKeys: Set<String> = ["storage.provider", "storage.path", "storage.url", "storage.mode"]

    static let names = ["postgres", "sqlite"]

    /// The chosen engine's opener; its problems are recorded in `config` (thrown by `finish`).
    static func make(config: Config) -> Opener {
        switch config.choice("storage.provider", default: "sqlite", among: names) {
        case "postgres":
            // `storage.url` (or `storage.url_file`, which keeps the password out of the config):
            // a libpq URI or key/value connection string, checked by libpq's own parser here;
            // whether the server answers is known at the first request.
            let url = config.required("storage.url", by: "storage.provider = postgres")
            if !url.isEmpty, let problem = PostgresConnection.problem(with: url) {
                config.fail("storage.url", "not a valid PostgreSQL connection string: \(problem)")
            }
            return { clock, random in PostgresStorage(connectionString: url, clock: clock, random: random) }
        default:
            // `storage.path`: the SQLite file, relative to the config file's folder;
            // `storage.mode`: the permissions of it and its -wal/-shm files (they hold password
            // hashes and security stamps).
            let path = config.path("storage.path", default: "countersign.db")
            let mode = sqliteFileMode(config)
            return { clock, random in try SQLiteStorage(path: path, mode: mode, clock: clock, random: random) }
        }
    }

    /// The SQLite file at `path` as it is, to be read out (`countersign storage copy
    /// --from-sqlite`); nil when there is no such file.
    static func existingSQLite(path: String, clock: any WallClock, random: any RandomSource) throws -> (any StorageExporting)? {
        try SQLiteStorage.openExisting(path: path, clock: clock, random: random)
    }

    private static func sqliteFileMode(_ config: Config) -> UInt32 {
        let text = config.string("storage.mode", default: "0600")
        guard let mode = UInt32(text, radix: 8), mode <= 0o777, mode & 0o600 == 0o600 else {
            config.fail("storage.mode", "must be an octal mode that lets the owner read and write, such as 0600 or 0640")
            return 0o600
        }
        return mode
    }
}
