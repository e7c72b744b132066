/// ASCII-only case folding. HTTP names, methods, cookie names and our route paths are ASCII; folding
/// them with full Unicode rules would let unrelated non-ASCII spellings match (e.g. dotted İ).
enum ASCII {
    static func lowercased(_ text: String) -> String {
        var bytes = Array(text.utf8)
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
            bytes[i] += 0x20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every header lookup compares names with this: an index walk over both UTF-8 views, as
    /// `zip` cost several times more per byte here.
    static func caseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        var i = x.startIndex, j = y.startIndex
        while i != x.endIndex {
            let p = x[i], q = y[j]
            if p != q && lower(p) != lower(q) { return false }
            x.formIndex(after: &i)
            y.formIndex(after: &j)
        }
        return true
    }

    static func hasCaseInsensitivePrefix(_ text: String, _ prefix: String) -> Bool {
        let x = text.utf8, p = prefix.utf8
        guard x.count >= p.count else { return false }
        return zip(x, p).allSatisfy { lower($0) == lower($1) }
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// Space and horizontal tab: the optional whitespace (OWS) of HTTP field values.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    static func trimmingWhitespace(_ text: Substring) -> Substring {
        var bytes = text.utf8[...]
        while let first = bytes.first, isWhitespace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isWhitespace(last) { bytes = bytes.dropLast() }
        return Substring(bytes)
    }

    /// RFC 9110 `tchar`: the characters allowed in tokens such as cookie names and methods.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.utf8.isEmpty && text.utf8.allSatisfy(isTokenCharacter)
    }
}
