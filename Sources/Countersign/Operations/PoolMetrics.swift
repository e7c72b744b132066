import Transport

/// The counters behind `/Metrics`, kept in the pool's shared status file so every worker adds
/// to the same numbers (`PoolStatusFile`). A worker looks a series up in the shared table once
/// and keeps its index, so counting is a dictionary look-up and one atomic add.
final class PoolMetrics {
    let file: PoolStatusFile
    private var indexes: [String: Int] = [:]
    private var requestIndexes: [RequestSeries: Int] = [:]

    private struct RequestSeries: Hashable {
        let path: String
        let status: Int
    }

    init(file: PoolStatusFile) {
        self.file = file
    }

    /// Adds one to the series `name{labels}`, escaping the label values (not the hot path).
    func count(_ name: String, _ labels: KeyValuePairs<String, String> = [:]) {
        let key = Self.seriesKey(name, labels)
        if let index = indexes[key] ?? lookUp(key) { file.add(counter: index) }
    }

    /// The hot path: one request answered. `path` is the request's path when a route matched
    /// (nil for a 404): the series is named after the route (the path without the mount, lower
    /// case), so the number of series stays bounded whatever clients ask for. The index is
    /// cached by the path exactly as it came, up to `pathCacheLimit` spellings: a look-up, then
    /// one atomic add, with no string built per request.
    func countRequest(path: String?, mount: String, status: Int) {
        let series = RequestSeries(path: path ?? "", status: status)
        if let index = requestIndexes[series] {
            file.add(counter: index)
            return
        }
        let route = path.map { Self.routeLabel($0, mount: mount) } ?? "unmatched"
        guard let index = file.counterIndex(for: Self.seriesKey("countersign_requests_total", ["route": route, "status": String(status)])) else { return }
        if requestIndexes.count < Self.pathCacheLimit { requestIndexes[series] = index }
        file.add(counter: index)
    }

    static let pathCacheLimit = 512

    /// `/Account/LOGIN` under `/Account` → `/login`.
    static func routeLabel(_ path: String, mount: String) -> String {
        String(decoding: path.utf8.dropFirst(mount.utf8.count).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private func lookUp(_ key: String) -> Int? {
        guard let index = file.counterIndex(for: key) else { return nil }
        indexes[key] = index
        return index
    }

    static func seriesKey(_ name: String, _ labels: KeyValuePairs<String, String>) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.map { "\($0.key)=\"\(escape($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// Prometheus label-value escaping: backslash, double quote, line feed.
    static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
