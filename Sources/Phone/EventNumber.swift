/// How a phone number appears in security events and logs (CONTRACT.md §8): its region and last
/// two digits, never the whole number — "US ••23". Enough for an operator to tell numbers apart
/// and to see where the traffic goes; not enough to text or call anyone.
public enum EventNumber {
    /// The event form of an E.164 number (or of anything else: its last two digits at most).
    public static func mask(_ e164: String) -> String {
        let digits = e164.unicodeScalars.filter { $0.properties.numericType != nil && $0.isASCII }
        let lastTwo = String(String.UnicodeScalarView(digits.suffix(2)))
        return "\(region(of: e164)) ••\(lastTwo)"
    }

    /// libphonenumber's region of an E.164 number ("US", "GB", "001" for non-geographic
    /// numbers), or "ZZ" when it cannot tell.
    public static func region(of e164: String) -> String {
        if case .valid(let number) = NumberingPlan.check(e164, defaultRegion: "US") { return number.region }
        return "ZZ"
    }
}
