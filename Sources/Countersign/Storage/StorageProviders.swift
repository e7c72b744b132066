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

    static let configKeys: Set<String> = ["storage.provider", "storage.path", "storage.url"]

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
            // `storage.path`: the SQLite file, relative to the config file's folder.
            let path = config.path("storage.path", default: "countersign.db")
            return { clock, random in try SQLiteStorage(path: path, clock: clock, random: random) }
        }
    }
}
