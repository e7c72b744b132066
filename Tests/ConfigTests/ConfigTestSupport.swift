import Config
import Foundation

/// A config parsed from text, as if read from `/etc/countersign/test.conf`.
func makeConfig(_ text: String, environment: [String: String] = [:], directory: String = "/etc/countersign") -> Config {
    Config(text: text, file: "test.conf", environment: environment, directory: directory)
}

/// A fresh folder for files a test writes (secrets, config files); removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "countersign-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
