/// Turns what a user typed into a `PhoneNumber` we are willing to send codes to, or says why not.
///
/// Three checks, in order: libphonenumber must find a valid number (national notation is read as
/// a number of the default region); the number's region must be among the allowed ones; its type
/// must be one that can receive verification texts (`PhoneNumberType.canReceiveVerificationTexts`).
/// Use it at registration and again on the stored E.164 number before every send, so that a
/// tightened configuration also applies to numbers saved earlier.
public struct PhoneNumberParser: Sendable {
    /// Longer input is refused before libphonenumber sees it: a phone number with spaces,
    /// brackets and a "+" fits comfortably, and nobody needs to paste an essay into this field.
    public static let maximumInputLength = 40

    /// Upper-case ISO 3166 alpha-2 code used for numbers typed without "+".
    public let defaultRegion: String
    /// Upper-case region codes whose numbers are accepted; empty means every region.
    public let allowedRegions: Set<String>

    /// - Parameters:
    ///   - defaultRegion: config key `phone.default_region` (default `US`).
    ///   - allowedRegions: config key `phone.allowed_regions`, already split at commas; empty
    ///     means all regions.
    ///
    /// Codes are matched without regard to case and surrounding spaces ("us", " GB ").
    /// - Throws: `UnknownRegionCode` for a code libphonenumber does not know, naming the key.
    public init(defaultRegion: String = "US", allowedRegions: [String] = []) throws(UnknownRegionCode) {
        guard let region = Self.knownRegion(defaultRegion) else {
            throw UnknownRegionCode(code: defaultRegion, key: "phone.default_region")
        }
        var allowed = Set<String>()
        for code in allowedRegions {
            guard let region = Self.knownRegion(code) else {
                throw UnknownRegionCode(code: code, key: "phone.allowed_regions")
            }
            allowed.insert(region)
        }
        self.defaultRegion = region
        self.allowedRegions = allowed
    }

    /// Whether `code` names a region libphonenumber has a numbering plan for ("US", "gb"), for
    /// validating configuration. Non-geographic codes ("001") and "ZZ" are not regions.
    public static func isKnownRegion(_ code: String) -> Bool {
        knownRegion(code) != nil
    }

    /// - Returns: the number in E.164 with its region and type.
    /// - Throws: `PhoneNumberProblem`, whose `message` can be shown to the user as it is.
    public func parse(_ input: String) throws(PhoneNumberProblem) -> PhoneNumber {
        guard input.unicodeScalars.count <= Self.maximumInputLength, !input.utf8.contains(0) else {
            throw .notANumber(defaultRegion: defaultRegion)
        }
        let number: PhoneNumber
        switch NumberingPlan.check(input, defaultRegion: defaultRegion) {
        case .valid(let valid): number = valid
        case .notANumber: throw .notANumber(defaultRegion: defaultRegion)
        case .invalidCountryCode: throw .unknownCountryCode
        case .tooShort: throw .tooShort
        case .tooLong: throw .tooLong
        case .invalidNumber: throw .noSuchNumber(defaultRegion: defaultRegion)
        case .hasExtension: throw .hasExtension
        case .failed: throw .checkFailed
        }
        guard allowedRegions.isEmpty || allowedRegions.contains(number.region) else {
            throw .regionNotAccepted(region: number.region)
        }
        guard number.type.canReceiveVerificationTexts else {
            throw .cannotReceiveTexts(number.type)
        }
        return number
    }

    /// The code trimmed and upper-cased when libphonenumber knows it, else nil.
    private static func knownRegion(_ code: String) -> String? {
        let trimmed = code.drop { $0 == " " || $0 == "\t" }
        let normalized = String(trimmed.reversed().drop { $0 == " " || $0 == "\t" }.reversed()).uppercased()
        return NumberingPlan.hasRegion(normalized) ? normalized : nil
    }
}
