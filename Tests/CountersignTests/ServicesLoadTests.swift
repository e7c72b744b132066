import Config
import Foundation
import Testing
import Timekeeping
@testable import Countersign

/// Start-up reads the whole config and stops with every problem as `FILE:LINE: message`.
@Suite struct ServicesLoadTests {
    static let secret = "secret = " + TestApp.secret

    /// The problems `Services.load` reports for `text`; empty when it starts.
    static func problems(_ text: String) throws -> [String] {
        let folder = NSTemporaryDirectory() + "countersign-load-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/countersign.conf"
        let config = Config(text: text, file: file, environment: [:])
        do {
            _ = try Services.load(config: config, shippedTemplates: TestApp.shippedTemplates, clock: ManualClock())
            return []
        } catch let errors as ConfigErrors {
            return errors.problems.map { $0.description.replacingOccurrences(of: file, with: "FILE") }
        }
    }

    @Test func theMinimalConfigStarts() throws {
        #expect(try Self.problems("[server]\nbase_url = https://example.com\n[cookies]\n\(Self.secret)") == [])
    }

    @Test func requiredKeysAreNamedWithoutALine() throws {
        #expect(try Self.problems("[server]\nworkers = 2") == [
            "FILE: missing required key server.base_url",
            "FILE: missing required key cookies.secret",
        ])
    }

    @Test(arguments: [
        ("[cookies]\nprevious_secrets = short", "FILE:6: cookies.previous_secrets: every secret must be at least 32 bytes"),
        ("[server]\nbase_ulr = https://example.org", "FILE:6: unknown key server.base_ulr"),
        ("[sever]\nworkers = 2", "FILE:6: unknown section [sever]"),
        ("[server]\nlisten = 0.0.0.0:9000", "FILE:6: server.listen: 0.0.0.0:9000 is reachable from other machines"),
        ("[server]\nlisten = 9000", "FILE:6: server.listen: must be unix:PATH or HOST:PORT, got \"9000\""),
        ("[server]\nmount = /Account/", "FILE:6: server.mount: must start with / and not end with /"),
        ("[server]\nmax_body = 64kb", "FILE:6: server.max_body must be a size such as 65536 or 64k"),
        ("[session]\nidle_timeout = 2 hours", "FILE:6: session.idle_timeout must be a duration"),
        ("[session]\nidle_timeout = 0s", "FILE:6: session.idle_timeout must be a duration such as 30s, 10m, 2h or 14d, more than zero"),
        ("[passwords]\nalgorithm = md5", "FILE:6: passwords.algorithm must be one of argon2id, pbkdf2-sha512"),
        ("[email]\nprovider = file", "FILE: missing key email.path, required by email.provider = file"),
        ("[storage]\nprovider = postgres", "FILE: missing key storage.url, required by storage.provider = postgres"),
        ("[email]\nprovider = pigeon", "FILE:6: email.provider: unknown provider \"pigeon\"; known providers: log, file, smtp, command"),
        ("[phone]\ndefault_region = XX", "FILE:6: phone.default_region: unknown region code \"XX\""),
        ("[server]\nafter_login = https://evil.example/", "FILE:6: server.after_login: must be a local path starting with /"),
        ("[storage]\nprovider = mysql", "FILE:6: storage.provider must be one of postgres, sqlite"),
        ("[storage]\nprovider = postgres\nurl = host=localhost port=notaport sslmode", "FILE:7: storage.url: not a valid PostgreSQL connection string"),
    ])
    func aBadValueStopsStartUpAtItsLine(_ extra: String, _ expected: String) throws {
        let text = "[server]\nbase_url = https://example.com\n[cookies]\n\(Self.secret)\n" + extra
        let problems = try Self.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(expected) == true, "\(problems)")
    }

    @Test func aRemoteListenAddressNeedsConsent() throws {
        let text = "[server]\nbase_url = https://example.com\nlisten = 0.0.0.0:9000\nallow_remote = true\n[cookies]\n\(Self.secret)"
        #expect(try Self.problems(text) == [])
    }

    @Test func everyProblemIsListedAtOnceInLineOrder() throws {
        let text = "[server]\nworkers = many\n[cookies]\nsecret = short\n[bogus]\nx = 1"
        #expect(try Self.problems(text) == [
            "FILE: missing required key server.base_url",
            "FILE:2: server.workers must be a whole number from 1 to 512, got \"many\"",
            "FILE:4: cookies.secret: must be at least 32 bytes (it has 5); `openssl rand -base64 48` makes a good one",
            "FILE:6: unknown section [bogus]",
        ])
    }
}
