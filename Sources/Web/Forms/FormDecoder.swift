/// Strict decoding of `application/x-www-form-urlencoded` bodies and query strings.
///
/// Browsers never send malformed encodings, so anything unusual is refused rather than guessed at:
/// a lenient decoder would let two layers (nginx, us, a proxy) read the same bytes differently.
/// - `+` is a space; `%XX` is a byte; a `%` not followed by two hex digits is an error.
/// - Decoded names and values must be UTF-8.
/// - Empty segments (`a=1&&b=2`, a leading or trailing `&`) are ignored.
/// - A field without `=` has the empty value; a field with an empty name is an error.
/// - More than `maxFields` fields is an error.
public enum FormDecoder {
    public static let maxFields = 1000

    public static func decode(_ text: String) throws(FormError) -> Form {
        try decode(Array(text.utf8))
    }

    public static func decode(_ bytes: [UInt8]) throws(FormError) -> Form {
        var fields: [Form.Field] = []
        for segment in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard fields.count < maxFields else { throw .tooManyFields }
            let name: ArraySlice<UInt8>
            let value: ArraySlice<UInt8>
            if let equals = segment.firstIndex(of: UInt8(ascii: "=")) {
                name = segment[segment.startIndex..<equals]
                value = segment[(equals + 1)...]
            } else {
                name = segment
                value = []
            }
            let decodedName = try decodeComponent(name)
            guard !decodedName.isEmpty else { throw .emptyName }
            fields.append((name: decodedName, value: try decodeComponent(value)))
        }
        return Form(fields)
    }

    /// One name or value: `+` and percent escapes, then UTF-8 validation.
    static func decodeComponent(_ bytes: ArraySlice<UInt8>) throws(FormError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
                i += 1
            case UInt8(ascii: "%"):
                guard bytes.endIndex - i >= 3,
                      let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) else {
                    throw .badEscape
                }
                out.append(high << 4 | low)
                i += 3
            default:
                out.append(byte)
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
