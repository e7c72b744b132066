import Config
import Testing

/// The typed accessors: good values convert, bad ones are a problem on their line and the default
/// is used, so one `check-config` run lists everything.
@Suite struct ConfigAccessorTests {
    static func one(_ key: String, _ value: String) -> Config {
        makeConfig("[s]\n\(key) = \(value)")
    }

    // MARK: Durations

    @Test(arguments: [
        ("30s", 30.0), ("1s", 1), ("10m", 600), ("2h", 7200), ("14d", 1_209_600), ("90m", 5400), ("007s", 7),
    ])
    func durationsConvertToSeconds(_ text: String, _ seconds: Double) {
        let config = Self.one("d", text)
        #expect(config.duration("s.d", default: "5m") == seconds)
        #expect(config.problems.isEmpty)
    }

    @Test func zeroIsAllowedOnlyWhereItMakesSense() {
        let allowed = Self.one("d", "0s")
        #expect(allowed.duration("s.d", default: "60s", allowZero: true) == 0)
        #expect(allowed.problems.isEmpty)

        let refused = Self.one("d", "0s")
        #expect(refused.duration("s.d", default: "60s") == 60)
        #expect(refused.problems == [ConfigProblem(file: "test.conf", line: 2, message: "s.d must be a duration such as 30s, 10m, 2h or 14d, more than zero, got \"0s\"")])

        let zeroMinutes = Self.one("d", "0m")
        #expect(zeroMinutes.duration("s.d", default: "60s") == 60)
        #expect(zeroMinutes.problems.count == 1)
    }

    @Test(arguments: [
        "", "30", "s", "1.5h", "-5m", "+5m", "5 m", "5M", "5H", "1w", "5ms", "ten s", "1e3s", "0x10s", "½h", "٣s",
        "99999999999999999999s", "999999999999999999d",
    ])
    func garbageDurationIsAProblemAndTheDefaultIsUsed(_ text: String) {
        let config = Self.one("d", text)
        #expect(config.duration("s.d", default: "5m", allowZero: true) == 300)
        #expect(config.problems.count == 1)
        #expect(config.problems.first?.line == 2)
        #expect(config.problems.first?.message.hasPrefix("s.d must be a duration such as 30s, 10m, 2h or 14d, got") == true)
    }

    @Test func absentDurationIsTheDefault() {
        let config = makeConfig("[s]")
        #expect(config.duration("s.d", default: "24h") == 86_400)
        #expect(config.duration("s.z", default: "0s", allowZero: true) == 0)
        #expect(config.problems.isEmpty)
    }

    // MARK: Sizes

    @Test(arguments: [("65536", 65536), ("64k", 65536), ("64K", 65536), ("1m", 1_048_576), ("1M", 1_048_576), ("1", 1)])
    func sizesConvertToBytes(_ text: String, _ bytes: Int) {
        let config = Self.one("size", text)
        #expect(config.size("s.size", default: 7) == bytes)
        #expect(config.problems.isEmpty)
    }

    @Test(arguments: [
        "", "0", "0k", "k", "m", "64kb", "64 k", "-1", "+5", "1.5k", "1g", "64KiB", "abc", "١٢", "½k",
        "99999999999999999999", "9223372036854775807k",
    ])
    func garbageSizeIsAProblemAndTheDefaultIsUsed(_ text: String) {
        let config = Self.one("size", text)
        #expect(config.size("s.size", default: 65536) == 65536)
        #expect(config.problems.count == 1)
        #expect(config.problems.first?.line == 2)
        #expect(config.problems.first?.message == "s.size must be a size such as 65536 or 64k, got \"\(text)\"")
    }

    // MARK: Whole numbers

    @Test(arguments: ["0", "11", "-1", "abc", "1.0", "", "5 workers", "99999999999999999999"])
    func intOutsideItsRangeOrNotANumberIsAProblem(_ text: String) {
        let config = Self.one("n", text)
        #expect(config.int("s.n", default: 2, range: 1...10) == 2)
        #expect(config.problems == [ConfigProblem(file: "test.conf", line: 2, message: "s.n must be a whole number from 1 to 10, got \"\(text)\"")])
    }

    @Test(arguments: [("1", 1), ("10", 10), ("7", 7)])
    func intInsideItsRange(_ text: String, _ value: Int) {
        let config = Self.one("n", text)
        #expect(config.int("s.n", default: 2, range: 1...10) == value)
        #expect(config.problems.isEmpty)
    }

    // MARK: Booleans

    @Test(arguments: [("true", true), ("TRUE", true), ("yes", true), ("on", true), ("1", true),
                      ("false", false), ("False", false), ("no", false), ("off", false), ("0", false)])
    func boolWords(_ text: String, _ value: Bool) {
        let config = Self.one("b", text)
        #expect(config.bool("s.b", default: !value) == value)
        #expect(config.problems.isEmpty)
    }

    @Test(arguments: ["", "maybe", "2", "tru", "y", "enabled", "true!"])
    func boolGarbageIsAProblem(_ text: String) {
        let config = Self.one("b", text)
        #expect(config.bool("s.b", default: true) == true)
        #expect(config.problems == [ConfigProblem(file: "test.conf", line: 2, message: "s.b must be true or false, got \"\(text)\"")])
    }

    // MARK: Choices

    @Test func choiceAcceptsOnlyTheListedWordsExactly() {
        let good = Self.one("algorithm", "pbkdf2-sha512")
        #expect(good.choice("s.algorithm", default: "argon2id", among: ["argon2id", "pbkdf2-sha512"]) == "pbkdf2-sha512")
        #expect(good.problems.isEmpty)

        let bad = Self.one("algorithm", "Argon2id")
        #expect(bad.choice("s.algorithm", default: "argon2id", among: ["argon2id", "pbkdf2-sha512"]) == "argon2id")
        #expect(bad.problems == [ConfigProblem(file: "test.conf", line: 2, message: "s.algorithm must be one of argon2id, pbkdf2-sha512, got \"Argon2id\"")])
    }

    // MARK: Lists

    @Test(arguments: [("a", ["a"]), ("a,b", ["a", "b"]), (" a , b ,\tc ", ["a", "b", "c"]), ("", [String]())])
    func listsAreTrimmedCommaLists(_ text: String, _ items: [String]) {
        let config = Self.one("l", text)
        #expect(config.list("s.l", default: ["x"]) == items)
        #expect(config.problems.isEmpty)
    }

    @Test(arguments: ["a,,b", "a,", ",a", "a, ,b", ","])
    func listWithAnEmptyItemIsAProblem(_ text: String) {
        let config = Self.one("l", text)
        let items = config.list("s.l")
        #expect(!items.contains(""))
        #expect(config.problems == [ConfigProblem(file: "test.conf", line: 2, message: "s.l has an empty item in its comma list")])
    }

    @Test func absentListIsTheDefault() {
        #expect(makeConfig("").list("s.l", default: ["US"]) == ["US"])
    }

    // MARK: Strings and required keys

    @Test func missingRequiredKeyIsAProblemWithoutALine() {
        let config = makeConfig("[server]\nworkers = 2")
        #expect(config.string("server.base_url", default: nil) == "")
        #expect(config.problems == [ConfigProblem(file: "test.conf", line: nil, message: "missing required key server.base_url")])
        #expect(config.problems.map(\.description) == ["test.conf: missing required key server.base_url"])
    }

    @Test func keyRequiredByAProviderNamesTheProvider() {
        let config = makeConfig("[email]\nprovider = file")
        #expect(config.required("email.path", by: "email.provider = file") == "")
        #expect(config.problems.map(\.description) == ["test.conf: missing key email.path, required by email.provider = file"])
    }

    @Test func emptyValueIsRefusedUnlessEmptyIsAllowed() {
        let refused = Self.one("name", "")
        #expect(refused.string("s.name", default: "Countersign") == "Countersign")
        #expect(refused.problems == [ConfigProblem(file: "test.conf", line: 2, message: "s.name must not be empty")])

        let allowed = Self.one("name", "")
        #expect(allowed.string("s.name", default: "x", allowEmpty: true) == "")
        #expect(allowed.problems.isEmpty)

        let optional = Self.one("name", "")
        #expect(optional.optionalString("s.name") == nil)
        #expect(optional.problems.count == 1)
    }

    @Test func optionalStringIsNilWhenAbsentWithoutAProblem() {
        let config = makeConfig("[s]\nother = 1")
        #expect(config.optionalString("s.name") == nil)
        #expect(config.problems.isEmpty)
        #expect(config.has("s.other"))
        #expect(!config.has("s.name"))
    }

    // MARK: Paths

    @Test(arguments: [
        ("countersign.db", "/etc/countersign/countersign.db"),
        ("data/countersign.db", "/etc/countersign/data/countersign.db"),
        ("../var/countersign.db", "/etc/countersign/../var/countersign.db"),
        ("/var/lib/countersign/countersign.db", "/var/lib/countersign/countersign.db"),
    ])
    func relativePathsAreRelativeToTheConfigFolder(_ value: String, _ resolved: String) {
        let config = Self.one("path", value)
        #expect(config.path("s.path", default: nil) == resolved)
        #expect(config.problems.isEmpty)
    }

    @Test func defaultPathIsResolvedToo() {
        #expect(makeConfig("").path("storage.path", default: "countersign.db") == "/etc/countersign/countersign.db")
    }

    @Test(arguments: [
        ("/srv/site/countersign.conf", "/srv/site"),
        ("conf/countersign.conf", "conf"),
        ("countersign.conf", "."),
        ("/countersign.conf", "/"),
    ])
    func theConfigFolderIsTheFilesFolder(_ file: String, _ folder: String) {
        let config = Config(text: "[storage]\npath = a.db", file: file, environment: [:])
        #expect(config.directory == folder)
        if folder != "/" {
            #expect(config.path("storage.path", default: nil) == folder + "/a.db")
        }
    }

    // MARK: Reporting helpers

    @Test func failPointsAtTheKeysLineWhenTheFileSetsIt() {
        let config = makeConfig("[server]\n\nlisten = 0.0.0.0:9000")
        config.fail("server.listen", "is reachable from other machines")
        config.fail("server.base_url", "is needed")
        #expect(config.problems.map(\.description) == [
            "test.conf:3: server.listen: is reachable from other machines",
            "test.conf: server.base_url: is needed",
        ])
    }

    @Test func warningsAreKeptApartFromProblems() {
        let config = makeConfig("[sms]\ntemplate = long")
        config.warn("sms.template", "is two SMS segments")
        #expect(config.problems.isEmpty)
        #expect(config.warnings.map(\.description) == ["test.conf:2: warning: sms.template: is two SMS segments"])
    }
}
