import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Files that ship with Countersign (templates), found next to the binary when installed, or in
/// the source tree when run from a build folder.
enum ShippedFiles {
    static var templatesDirectory: String {
        let candidates = [
            executableDirectory + "/../share/countersign/templates",
            sourceTreeRoot + "/www/templates",
            "/usr/share/countersign/templates",
        ]
        return candidates.first { access($0 + "/layout.html", R_OK) == 0 } ?? candidates[1]
    }

    private static var executableDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "." }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    /// Sources/Countersign/Commands/ShippedFiles.swift → the repository root.
    private static var sourceTreeRoot: String {
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }
}
