import Config
import Foundation
import Testing

/// `K_file = PATH`: any key may be read from a file (for secrets), trailing newline removed.
@Suite struct ConfigSecretFileTests {
    @Test func valueComesFromTheFileWithoutItsTrailingNewline() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("secret", "0123456789abcdef0123456789abcdef\n")
        let config = makeConfig("[cookies]\n\nsecret_file = secret", directory: folder.path)
        #expect(config.problems.isEmpty)
        #expect(config.string("cookies.secret", default: nil) == "0123456789abcdef0123456789abcdef")
        #expect(config.has("cookies.secret"))
        #expect(!config.has("cookies.secret_file"))
        #expect(config.line(of: "cookies.secret") == 3)
    }

    @Test(arguments: [
        ("no newline", "no newline"),
        ("two newlines\n\n", "two newlines\n"),
        ("multi\nline\n", "multi\nline"),
        ("  spaces kept  \n", "  spaces kept  "),
        ("${NOT_EXPANDED} \\n\n", "${NOT_EXPANDED} \\n"),
        ("", ""),
    ])
    func onlyOneTrailingNewlineIsRemovedAndNothingIsInterpreted(_ content: String, _ value: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("value", content)
        let config = makeConfig("[s]\nv_file = value", directory: folder.path)
        #expect(config.problems.isEmpty)
        #expect(config.string("s.v", default: nil, allowEmpty: true) == value)
    }

    @Test func aWindowsLineEndingIsRemovedToo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("secret", "s3cret\r\n")
        let config = makeConfig("[s]\nv_file = secret", directory: folder.path)
        #expect(config.string("s.v", default: nil) == "s3cret")
    }

    @Test func absolutePathsAndEnvironmentVariablesWork() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("token", "tok\n")
        let absolute = makeConfig("[twilio]\nauth_token_file = \(file)")
        #expect(absolute.string("twilio.auth_token", default: nil) == "tok")
        let fromEnvironment = makeConfig("[twilio]\nauth_token_file = ${CREDENTIALS_DIRECTORY}/token", environment: ["CREDENTIALS_DIRECTORY": folder.path])
        #expect(fromEnvironment.string("twilio.auth_token", default: nil) == "tok")
        #expect(absolute.problems.isEmpty && fromEnvironment.problems.isEmpty)
    }

    @Test func anUnreadableFileIsAProblemOnItsLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = makeConfig("[cookies]\nsecure = false\nsecret_file = missing-secret", directory: folder.path)
        #expect(config.problems.count == 1)
        let problem = try #require(config.problems.first)
        #expect(problem.line == 3)
        #expect(problem.message.hasPrefix("cookies.secret_file: cannot read \(folder.path)/missing-secret"))
        #expect(!config.has("cookies.secret"))
    }

    @Test func aFolderIsNotASecretFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = makeConfig("[cookies]\nsecret_file = \(folder.path)")
        #expect(config.problems.map(\.line) == [2])
    }

    @Test func givingAKeyBothWaysIsAProblem() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("secret", "from the file\n")

        let directFirst = makeConfig("[cookies]\nsecret = direct\nsecret_file = secret", directory: folder.path)
        #expect(directFirst.problems == [ConfigProblem(file: "test.conf", line: 3, message: "cookies.secret is given both directly and as cookies.secret_file")])

        let fileFirst = makeConfig("[cookies]\nsecret_file = secret\nsecret = direct", directory: folder.path)
        #expect(fileFirst.problems == [ConfigProblem(file: "test.conf", line: 3, message: "cookies.secret is given both directly and as cookies.secret_file (line 2)")])
    }

    @Test func aSecretFileForAnUnknownKeyIsAnUnknownKey() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("secret", "x\n")
        let config = makeConfig("[cookies]\nsecrett_file = secret", directory: folder.path)
        #expect(throws: ConfigErrors.self) { try config.finish(knownKeys: ["cookies.secret"]) }
        #expect(config.problems.map(\.description) == ["test.conf:2: unknown key cookies.secrett"])
    }
}
