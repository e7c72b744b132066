/// How many SMS a text takes, so `check-config` can warn when the message template costs two.
///
/// GSM-7 when every character is in the GSM 03.38 default alphabet (extension characters such as
/// `€ [ ] { }` cost two septets): 160 septets in one message, 153 per part when split. Otherwise
/// UCS-2: 70 UTF-16 units, 67 per part. A part never ends in the middle of an escape or a
/// surrogate pair, as handsets and providers split them.
public enum SmsSegments {
    public enum Encoding: Sendable, Equatable {
        case gsm7
        case ucs2
    }

    public static func count(for text: String) -> (encoding: Encoding, segments: Int) {
        if let septets = gsm7Lengths(text) {
            return (.gsm7, segments(units: septets, single: 160, part: 153))
        }
        let units = text.unicodeScalars.map { $0.value > 0xFFFF ? 2 : 1 }
        return (.ucs2, segments(units: units, single: 70, part: 67))
    }

    /// The septets each character takes, or nil when one is not in GSM-7.
    private static func gsm7Lengths(_ text: String) -> [Int]? {
        var lengths: [Int] = []
        for scalar in text.unicodeScalars {
            if GSM7Alphabet.basic.contains(scalar) {
                lengths.append(1)
            } else if GSM7Alphabet.extended.contains(scalar) {
                lengths.append(2)
            } else {
                return nil
            }
        }
        return lengths
    }

    /// Packs indivisible characters of the given sizes into parts.
    private static func segments(units: [Int], single: Int, part: Int) -> Int {
        let total = units.reduce(0, +)
        if total <= single { return 1 }
        var count = 1
        var used = 0
        for size in units {
            if used + size > part {
                count += 1
                used = 0
            }
            used += size
        }
        return count
    }
}

/// The GSM 03.38 default alphabet and its extension table.
enum GSM7Alphabet {
    static let basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà".unicodeScalars
    )
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)
}
