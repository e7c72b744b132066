/// A phone number that libphonenumber judged valid, in the form we store and send to.
///
/// Only `PhoneNumberParser` makes these, so holding one means the number was checked against the
/// numbering plan, the accepted regions and the accepted number types.
public struct PhoneNumber: Sendable, Hashable {
    /// E.164: "+", country calling code and national number, digits only ("+12015550123"). This is
    /// what `AspNetUsers.PhoneNumber` holds and what SMS providers get.
    public let e164: String
    /// ISO 3166 alpha-2 region the number belongs to ("US", "GB"); "001" for non-geographic
    /// numbers such as +882.
    public let region: String
    /// Country calling code (1 for "+12015550123").
    public let countryCode: Int
    public let type: PhoneNumberType

    init(e164: String, region: String, countryCode: Int, type: PhoneNumberType) {
        self.e164 = e164
        self.region = region
        self.countryCode = countryCode
        self.type = type
    }

    /// The number with all but the country code and the last digits hidden, for pages and logs
    /// that must show which number was meant without disclosing it: "+1 ••• ••• 0123".
    ///
    /// Four digits stay visible, or fewer for very short national numbers, so that at least half
    /// of the national number is always hidden.
    public var masked: String {
        let digits = Array(e164.utf8.dropFirst())
        let national = digits.dropFirst(String(countryCode).utf8.count)
        let visibleCount = min(4, national.count / 2)
        let hiddenCount = national.count - visibleCount
        // Groups of three counted from the end of the hidden part, as numbers are usually written.
        var hidden = ""
        for index in 0..<hiddenCount {
            if index > 0 && (hiddenCount - index) % 3 == 0 { hidden += " " }
            hidden += "•"
        }
        let visible = String(decoding: national.suffix(visibleCount), as: UTF8.self)
        return ["+\(countryCode)", hidden, visible].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension PhoneNumber: CustomStringConvertible {
    /// The masked form, so that interpolating a number into a log line never discloses it. Use
    /// `e164` where the real number is needed.
    public var description: String { masked }
}
