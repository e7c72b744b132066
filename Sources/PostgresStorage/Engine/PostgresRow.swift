public import FoundationEssentials

/// One result row in libpq's text format, copied out of the `PGresult` so it outlives it.
/// Readers trap on a value of the wrong type only where the schema guarantees the type; a
/// malformed value in a column the application owns is a bug, not input.
public struct PostgresRow {
    let values: [String?]

    public func isNull(at index: Int) -> Bool { values[index] == nil }

    public func string(at index: Int) -> String { values[index] ?? "" }

    public func optionalString(at index: Int) -> String? { values[index] }

    public func int(at index: Int) -> Int { values[index].flatMap { Int($0) } ?? 0 }

    public func double(at index: Int) -> Double { values[index].flatMap { Double($0) } ?? 0 }

    public func optionalDouble(at index: Int) -> Double? { values[index].flatMap { Double($0) } }

    /// `boolean` is `t` or `f` in text format.
    public func bool(at index: Int) -> Bool { values[index] == "t" }

    public func date(at index: Int) -> Date { Date(timeIntervalSince1970: double(at: index)) }

    /// `bytea` in hex format (`\x0a1b…`, PostgreSQL's default output since 9.0).
    public func bytes(at index: Int) -> [UInt8] {
        guard let text = values[index] else { return [] }
        let digits = Array(text.utf8.dropFirst(2))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index + 1 < digits.count {
            bytes.append(Self.nibble(digits[index]) << 4 | Self.nibble(digits[index + 1]))
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: 0
        }
    }
}
