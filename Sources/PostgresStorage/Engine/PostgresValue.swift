public import FoundationEssentials

/// A value sent to PostgreSQL as a text parameter (`$1`, `$2`…), as libpq's text format
/// expects it. nil binds NULL.
public protocol PostgresValueConvertible {
    var postgresText: String { get }
}

public typealias PostgresArguments = [(any PostgresValueConvertible)?]

extension String: PostgresValueConvertible {
    public var postgresText: String { self }
}

extension Int: PostgresValueConvertible {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresValueConvertible {
    public var postgresText: String { self ? "true" : "false" }
}

extension Double: PostgresValueConvertible {
    /// Swift prints the shortest text that reads back as the same Double, and so does
    /// PostgreSQL (`extra_float_digits` 1, the default since 12): values survive the round trip
    /// exactly, which `release` relies on to find an event by its time.
    public var postgresText: String { description }
}

/// `bytea` in PostgreSQL's hex format.
extension Array: PostgresValueConvertible where Element == UInt8 {
    public var postgresText: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Times go over the wire as Unix seconds; SQL turns them into `timestamptz` where a column
/// is one (`to_timestamp($1)`).
extension Date: PostgresValueConvertible {
    public var postgresText: String { timeIntervalSince1970.postgresText }
}
