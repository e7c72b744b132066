import Transport

/// The counters behind `/Metrics`, kept in the pool's shared status file so every worker adds
/// to the same numbers (`PoolStatusFile`). A worker looks a series up in the shared table once
/// and keeps its index, so counting is a dictionary look-up and one atomic add.
final class PoolMetrics {
    let file: PoolStatusFile
    private var indexes: [String: Int] = [:]
    private var requestIndexes: [RequestSeries: Int] = [:]

    private struct RequestSeries: Hashable {
        let route: String
        let status: Int
    }

    init(file: PoolStatusFile) {
        self.file = file
    }

    /// Adds one to the series `name{labels}`; labels are (name, value) pairs, escaped here.
    func count(_ name: String, _ labels: KeyValuePairs<String, String> = [:]) {
        let key = Self.seriesKey(name, labels)
        if let index = indexes[key] ?? lookUp(key) { file.add(counter: index) }
    }

    /// The hot path: one request answered. `route` is a route of the table (lower case) or
    /// "unmatched", so the number of series stays bounded whatever clients ask for.
    func countRequest(route: String, status: Int) {
        let series = RequestSeries(route: route, status: status)
        if let index = requestIndexes[series] {
            file.add(counter: index)
            return
        }
        guard let index = file.counterIndex(for: Self.seriesKey("countersign_requests_total", ["route": route, "status": String(status)])) else { return }
        requestIndexes[series] = index
        file.add(counter: index)
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
