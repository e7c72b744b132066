import Config
import Foundation
import Timekeeping

/// A config from INI text; the folder is `directory` (for relative paths).
func makeConfig(_ text: String, directory: String = "/nonexistent") -> Config {
    Config(text: text, file: "test.conf", environment: [:], directory: directory)
}

extension Config {
    var problemMessages: [String] { problems.map(\.description) }
}

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "countersign-messaging-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes an executable shell script.
    func script(_ name: String, _ body: String, interpreter: String = "/bin/sh") throws -> String {
        let file = file(name)
        try ("#!\(interpreter)\n" + body + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        return file
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }
}

/// Lines collected from a provider's log output.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    var lines: [String] { lock.withLock { collected } }
    func append(_ line: String) { lock.withLock { collected.append(line) } }
}

/// Parses JSON Lines with Foundation's own parser, independent of the code under test.
func jsonObjects(inFile path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }
}

let fixedDate = Date(timeIntervalSince1970: 1_795_694_400)  // 2026-11-26T12:00:00Z, a Thursday
