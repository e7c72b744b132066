import Config
import Foundation
import Testing

/// `finish(knownKeys:)`: typos never fall back to a default silently, and every problem comes out
/// at once, sorted by line, as `FILE:LINE: message`.
@Suite struct ConfigFinishTests {
    static let known: Set<String> = ["server.base_url", "server.mount", "storage.path", "cookies.secret"]

    @Test func unknownKeyAndUnknownSectionAreToldApart() {
        let text = """
        [server]
        base_url = https://example.com
        mout = /Account
        [strage]
        path = countersign.db
        """
        let config = makeConfig(text)
        do {
            try config.finish(knownKeys: Self.known)
            Issue.record("finish accepted unknown keys")
        } catch {
            #expect(error.problems == [
                ConfigProblem(file: "test.conf", line: 3, message: "unknown key server.mout"),
                ConfigProblem(file: "test.conf", line: 5, message: "unknown section [strage]"),
            ])
            #expect(error.description == "test.conf:3: unknown key server.mout\ntest.conf:5: unknown section [strage]")
        }
    }

    @Test func aCleanFileFinishes() throws {
        let config = makeConfig("[server]\nbase_url = https://example.com\n[cookies]\nsecret = \(String(repeating: "k", count: 32))")
        _ = config.string("server.base_url", default: nil)
        try config.finish(knownKeys: Self.known)
        #expect(config.problems.isEmpty)
    }

    @Test func everyProblemComesOutAtOnceSortedByLineWithMissingKeysFirst() {
        let text = """
        [server]
        mount = /Account
        mount = /Again
        [cookies]
        secret = short
        colour = blue
        """
        let config = makeConfig(text)
        _ = config.string("server.base_url", default: nil)
        config.fail("cookies.secret", "must be at least 32 bytes")
        do {
            try config.finish(knownKeys: Self.known)
            Issue.record("finish accepted a file with problems")
        } catch {
            #expect(error.problems.map(\.description) == [
                "test.conf: missing required key server.base_url",
                "test.conf:3: server.mount is set twice (first on line 2)",
                "test.conf:5: cookies.secret: must be at least 32 bytes",
                "test.conf:6: unknown key cookies.colour",
            ])
        }
    }

    @Test func aProblemAloneMakesFinishThrowEvenWithNoUnknownKeys() {
        let config = makeConfig("[server]\nbase_url")
        #expect(throws: ConfigErrors.self) { try config.finish(knownKeys: Self.known) }
    }

    @Test func problemDescriptions() {
        #expect(ConfigProblem(file: "a.conf", line: 7, message: "bad").description == "a.conf:7: bad")
        #expect(ConfigProblem(file: "a.conf", line: nil, message: "missing").description == "a.conf: missing")
        let errors = ConfigErrors(problems: [ConfigProblem(file: "a.conf", line: nil, message: "x"), ConfigProblem(file: "a.conf", line: 2, message: "y")])
        #expect(errors.description == "a.conf: x\na.conf:2: y")
    }

    @Test func readingAFileUsesItsFolderAndItsNameInMessages() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("countersign.conf", "[storage]\npath = data.db\n[server]\nbogus = 1\n")
        let config = Config(path: file, environment: [:])
        #expect(config.path("storage.path", default: nil) == folder.path + "/data.db")
        do {
            try config.finish(knownKeys: Self.known)
            Issue.record("finish accepted an unknown key")
        } catch {
            #expect(error.description == "\(file):4: unknown key server.bogus")
        }
    }

    @Test func anUnreadableConfigFileIsAProblemWithoutALine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = Config(path: folder.path + "/absent.conf", environment: [:])
        #expect(config.problems.count == 1)
        #expect(config.problems.first?.line == nil)
        #expect(config.problems.first?.description.hasPrefix("\(folder.path)/absent.conf: cannot read the config file") == true)
    }
}
