import Crypto
import Foundation
import SQLiteStorage
import Storage
import Testing
import Timekeeping

/// The SQLite file and its -wal and -shm files are created with `storage.mode` (CONTRACT.md §4).
@Suite struct FileModeTests {
    private func modes(_ path: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for suffix in ["", "-wal", "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path + suffix)
            result[suffix] = (attributes[.posixPermissions] as? NSNumber)?.intValue
        }
        return result
    }

    @Test(arguments: [0o600, 0o640])
    func newFilesGetTheMode(mode: Int) throws {
        let folder = NSTemporaryDirectory() + "countersign-modes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.db"
        let storage = try SQLiteStorage(path: path, mode: UInt32(mode), clock: ManualClock(), random: SecureRandom())
        try storage.migrate()
        #expect(try modes(path) == ["": mode, "-wal": mode, "-shm": mode])
    }

    @Test func anExistingWiderFileIsNarrowed() throws {
        let folder = NSTemporaryDirectory() + "countersign-modes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/countersign.db"
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        let storage = try SQLiteStorage(path: path, clock: ManualClock(), random: SecureRandom())
        try storage.migrate()
        #expect(try modes(path) == ["": 0o600, "-wal": 0o600, "-shm": 0o600])
    }
}
