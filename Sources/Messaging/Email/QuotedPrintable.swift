/// Quoted-printable body encoding (RFC 2045 §6.7), with CRLF line ends.
///
/// Chosen over base64 so the text part stays readable in a raw message. Beyond the RFC it also
/// encodes a `.` or the `F` of `From ` at the start of a line, so neither SMTP's end-of-data dot
/// nor an mbox `From ` line can ever appear in a body, whatever the transport does.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        var lines: [String] = []
        // Bytes, not Characters: Swift treats "\r\n" as one Character.
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
            lines.append(contentsOf: encodeLine(Array(line)))
        }
        return lines.joined(separator: "\r\n")
    }

    /// One input line as one or more output lines of at most 76 characters (soft breaks end in `=`).
    private static func encodeLine(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token = token(for: byte, atLineStart: current.isEmpty, isLast: isLast, nextIsFrom: startsFrom(bytes, at: index))
            // 75 leaves room for the soft-break `=`.
            if current.utf8.count + token.utf8.count > 75 {
                out.append(current + "=")
                current = ""
                // The byte now starts a line: re-decide for `.` and `From `.
                current = QuotedPrintable.token(for: byte, atLineStart: true, isLast: isLast, nextIsFrom: startsFrom(bytes, at: index))
                continue
            }
            current += token
        }
        out.append(current)
        return out
    }

    private static func token(for byte: UInt8, atLineStart: Bool, isLast: Bool, nextIsFrom: Bool) -> String {
        switch byte {
        case UInt8(ascii: "="):
            return escaped(byte)
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            return isLast ? escaped(byte) : String(UnicodeScalar(byte))  // trailing blanks are stripped in transit
        case UInt8(ascii: "."):
            return atLineStart ? escaped(byte) : "."
        case UInt8(ascii: "F"):
            return atLineStart && nextIsFrom ? escaped(byte) : "F"
        case 33...126:
            return String(UnicodeScalar(byte))
        default:
            return escaped(byte)
        }
    }

    private static func startsFrom(_ bytes: [UInt8], at index: Int) -> Bool {
        bytes[index...].starts(with: "From ".utf8)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func escaped(_ byte: UInt8) -> String {
        "=" + String(UnicodeScalar(hex[Int(byte >> 4)])) + String(UnicodeScalar(hex[Int(byte & 0x0F)]))
    }
}
