import Config
import Testing

/// The INI dialect of CONTRACT.md §2: what is refused (with the line to blame) and how values read.
@Suite struct IniParserTests {
    struct Malformed: CustomTestStringConvertible, Sendable {
        let text: String
        let line: Int
        let message: String
        var environment: [String: String] = [:]
        var testDescription: String { message }
    }

    static let malformed: [Malformed] = [
        Malformed(text: "base_url = https://example.com", line: 1, message: "key \"base_url\" comes before any [section]"),
        Malformed(text: "; comment\n\nworkers = 2\n[server]", line: 3, message: "key \"workers\" comes before any [section]"),
        Malformed(text: "[server", line: 1, message: "malformed section header \"[server\"; expected [name]"),
        Malformed(text: "[]", line: 1, message: "malformed section header \"[]\"; expected [name]"),
        Malformed(text: "[server] ; trailing comment", line: 1, message: "malformed section header \"[server] ; trailing comment\"; expected [name]"),
        Malformed(text: "[server]x", line: 1, message: "malformed section header \"[server]x\"; expected [name]"),
        Malformed(text: "[my server]", line: 1, message: "malformed section name \"my server\"; use letters, digits and _"),
        Malformed(text: "[ ]", line: 1, message: "malformed section name \"\"; use letters, digits and _"),
        Malformed(text: "[sérver]", line: 1, message: "malformed section name \"sérver\"; use letters, digits and _"),
        Malformed(text: "[server]\nworkers 2", line: 2, message: "expected `key = value`, `[section]` or a comment, got \"workers 2\""),
        Malformed(text: "[server]\n\n\njust some words", line: 4, message: "expected `key = value`, `[section]` or a comment, got \"just some words\""),
        Malformed(text: "[server]\nserver.workers = 2", line: 2, message: "malformed key \"server.workers\"; use letters, digits and _"),
        Malformed(text: "[server]\nmax-body = 1k", line: 2, message: "malformed key \"max-body\"; use letters, digits and _"),
        Malformed(text: "[server]\n = 2", line: 2, message: "malformed key \"\"; use letters, digits and _"),
        Malformed(text: "[server]\nwork ers = 2", line: 2, message: "malformed key \"work ers\"; use letters, digits and _"),
        Malformed(text: "[server]\nwörkers = 2", line: 2, message: "malformed key \"wörkers\"; use letters, digits and _"),
        Malformed(text: "[server]\nworkers = 2\n; again\nworkers = 3", line: 4, message: "server.workers is set twice (first on line 2)"),
        Malformed(text: "[server]\nworkers = 2\n[email]\nprovider = log\n[server]\nworkers = 3", line: 6, message: "server.workers is set twice (first on line 2)"),
        Malformed(text: "[cookies]\nsecret = ${UNSET_SECRET}", line: 2, message: "cookies.secret: environment variable UNSET_SECRET is not set"),
        Malformed(text: "[cookies]\nsecret = abc${SET}def${UNSET}", line: 2, message: "cookies.secret: environment variable UNSET is not set", environment: ["SET": "x"]),
        Malformed(text: "[cookies]\nsecret = ${SECRET", line: 2, message: "cookies.secret: unterminated ${ in value", environment: ["SECRET": "x"]),
        Malformed(text: "[cookies]\nsecret = ${}", line: 2, message: "cookies.secret: malformed environment variable name \"\""),
        Malformed(text: "[cookies]\nsecret = ${1ST}", line: 2, message: "cookies.secret: malformed environment variable name \"1ST\""),
        Malformed(text: "[cookies]\nsecret = ${MY-SECRET}", line: 2, message: "cookies.secret: malformed environment variable name \"MY-SECRET\""),
    ]

    @Test(arguments: malformed)
    func malformedLineIsOneProblemOnItsLine(_ example: Malformed) {
        let config = makeConfig(example.text, environment: example.environment)
        #expect(config.problems == [ConfigProblem(file: "test.conf", line: example.line, message: example.message)])
    }

    @Test func aMalformedLineSetsNothing() {
        let config = makeConfig("[server]\nmax-body = 1k\nworkers = ${NOPE}\nworkers = 3")
        #expect(!config.has("server.max-body"))
        // The second `workers` is a duplicate even though the first failed to expand: the first
        // line that names a key owns it, so the message points at the real culprit.
        #expect(!config.has("server.workers"))
        #expect(config.problems.map(\.line) == [2, 3, 4])
    }

    @Test func problemsPrintAsFileLineMessage() {
        let config = Config(text: "[server]\nworkers 2", file: "/etc/countersign/countersign.conf", environment: [:])
        #expect(config.problems.map(\.description) == [
            "/etc/countersign/countersign.conf:2: expected `key = value`, `[section]` or a comment, got \"workers 2\"",
        ])
    }

    @Test func longValuesAreShortenedInMessages() throws {
        let config = makeConfig("[server]\n" + String(repeating: "x", count: 100))
        let message = try #require(config.problems.first?.message)
        #expect(message.hasSuffix("got \"" + String(repeating: "x", count: 60) + "…\""))
    }

    struct Value: CustomTestStringConvertible, Sendable {
        let line: String
        let expected: String
        var environment: [String: String] = [:]
        var testDescription: String { line }
    }

    static let values: [Value] = [
        Value(line: "v = plain", expected: "plain"),
        Value(line: "   v   =   spaced out value \t ", expected: "spaced out value"),
        Value(line: "\tv\t=\ttabbed", expected: "tabbed"),
        Value(line: "v=tight", expected: "tight"),
        Value(line: "v = a = b", expected: "a = b"),
        Value(line: "v = semi ; not a comment", expected: "semi ; not a comment"),
        Value(line: "v = #c0ffee", expected: "#c0ffee"),
        Value(line: "v = ;starts with a semicolon", expected: ";starts with a semicolon"),
        Value(line: "v = line one\\nline two", expected: "line one\nline two"),
        Value(line: "v = \\n", expected: "\n"),
        Value(line: "v = C:\\\\path", expected: "C:\\path"),
        Value(line: "v = literal \\\\n", expected: "literal \\n"),
        Value(line: "v = 50\\%", expected: "50\\%"),
        Value(line: "v = ends with \\", expected: "ends with \\"),
        Value(line: "v = ${HOME}/data", expected: "/home/cs/data", environment: ["HOME": "/home/cs"]),
        Value(line: "v = ${A}${B}", expected: "ab", environment: ["A": "a", "B": "b"]),
        Value(line: "v = ${EMPTY}", expected: "", environment: ["EMPTY": ""]),
        Value(line: "v = $HOME", expected: "$HOME", environment: ["HOME": "/home/cs"]),
        Value(line: "v = cost $5 {ok}", expected: "cost $5 {ok}"),
        // The environment's value is used as it is: never expanded again.
        Value(line: "v = ${TRICKY}", expected: "${OTHER}\\n", environment: ["TRICKY": "${OTHER}\\n", "OTHER": "no"]),
        Value(line: "v = ünïcødé ✓", expected: "ünïcødé ✓"),
        Value(line: "v =", expected: ""),
    ]

    @Test(arguments: values)
    func valueReadsAs(_ example: Value) {
        let config = makeConfig("[s]\n" + example.line, environment: example.environment)
        #expect(config.problems.isEmpty)
        #expect(config.string("s.v", default: "default", allowEmpty: true) == example.expected)
        #expect(config.line(of: "s.v") == 2)
    }

    @Test func wholeLineCommentsAndBlankLinesAreSkippedButCounted() {
        let text = """
        ; a comment
        # another comment
           ; an indented comment
        \t# a tabbed comment

        [server]
        # workers = 99
        workers = 3
        """
        let config = makeConfig(text)
        #expect(config.problems.isEmpty)
        #expect(config.int("server.workers", default: 2, range: 1...512) == 3)
        #expect(config.line(of: "server.workers") == 8)
    }

    @Test func sectionHeadersMayHaveInnerSpaceAndKeysOfTheSameNameLiveInEachSection() {
        let config = makeConfig("[ server ]\npath = a\n[storage]\npath = b")
        #expect(config.problems.isEmpty)
        #expect(config.string("server.path", default: nil) == "a")
        #expect(config.string("storage.path", default: nil) == "b")
    }

    @Test func anEmptyFileHasNoEntriesAndNoProblems() {
        let config = makeConfig("")
        #expect(config.problems.isEmpty)
        #expect(!config.has("server.workers"))
    }

    @Test func crlfLineEndingsReadLikeLF() {
        let text = "; written on Windows\r\n[server]\r\nbase_url = https://example.com\r\nworkers = 4\r\n\r\n[cookies]\r\nsecure = false\r\n"
        let config = makeConfig(text)
        #expect(config.problems.isEmpty)
        #expect(config.string("server.base_url", default: nil) == "https://example.com")
        #expect(config.int("server.workers", default: 2, range: 1...512) == 4)
        #expect(config.line(of: "server.workers") == 4)
        #expect(config.bool("cookies.secure", default: true) == false)
    }

    @Test func aCarriageReturnEndingTheLastLineIsNotPartOfTheValue() {
        let config = makeConfig("[server]\napp_name = Shop\r")
        #expect(config.problems.isEmpty)
        #expect(config.string("server.app_name", default: nil) == "Shop")
    }
}
