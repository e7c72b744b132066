/// `http_sms.accept_status`: the HTTP statuses that mean "sent" — `200-299` by default, or a
/// comma list of codes and ranges such as `200, 202` or `200-204`.
struct AcceptedStatuses: Sendable, Equatable {
    let ranges: [ClosedRange<Int>]

    static let standard = AcceptedStatuses(ranges: [200...299])

    /// nil when `text` is not a list of statuses from 100 to 599 with each range in order.
    static func parse(_ text: String) -> AcceptedStatuses? {
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map { trimmedStatus($0) }
            guard (1...2).contains(bounds.count), let low = bounds.first!, let high = bounds.last!, low <= high else { return nil }
            ranges.append(low...high)
        }
        return ranges.isEmpty ? nil : AcceptedStatuses(ranges: ranges)
    }

    func contains(_ status: Int) -> Bool {
        ranges.contains { $0.contains(status) }
    }

    private static func trimmedStatus(_ text: Substring) -> Int? {
        let digits = text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(String(digits)) else { return nil }
        return (100...599).contains(value) ? value : nil
    }
}
