/// Why a typed phone number was refused; `message` is the sentence shown beside the form field.
public enum PhoneNumberProblem: Error, Sendable, Equatable {
    /// Nothing that reads as a phone number (empty, letters, over 40 characters, a NUL byte…).
    /// Carries the parser's default region, which the message names.
    case notANumber(defaultRegion: String)
    /// The country calling code after "+" does not exist.
    case unknownCountryCode
    case tooShort
    case tooLong
    /// The right shape, but no such number exists in that country's numbering plan.
    case noSuchNumber(defaultRegion: String)
    /// "… ext. 12": a text message cannot be delivered to an extension.
    case hasExtension
    /// A valid number from a region outside `phone.allowed_regions`.
    case regionNotAccepted(region: String)
    /// A valid number of a type we do not send codes to; see
    /// `PhoneNumberType.canReceiveVerificationTexts`.
    case cannotReceiveTexts(PhoneNumberType)
    /// libphonenumber failed (out of memory, an exception). Not the user's fault; worth logging.
    case checkFailed

    public var message: String {
        switch self {
        case .notANumber(let region), .noSuchNumber(let region):
            "Enter a valid phone number, with the country code if it is not \(Self.article(for: region)) \(region) number."
        case .unknownCountryCode:
            "This phone number starts with a country code that does not exist."
        case .tooShort:
            "This phone number is too short."
        case .tooLong:
            "This phone number is too long."
        case .hasExtension:
            "Enter the phone number without an extension: text messages cannot reach one."
        case .regionNotAccepted:
            "Phone numbers from this country are not accepted."
        case .cannotReceiveTexts(.fixedLine):
            "This is a landline number, which cannot receive text messages. Enter a mobile number."
        case .cannotReceiveTexts:
            "This kind of number cannot receive text messages (premium-rate, shared-cost and similar numbers are refused). Enter a mobile number."
        case .checkFailed:
            "The phone number could not be checked just now. Please try again."
        }
    }

    /// "a US number" but "an FR number": the article follows how the first letter is spoken.
    private static func article(for region: String) -> String {
        guard let first = region.first else { return "a" }
        return "AEFHILMNORSX".contains(first) ? "an" : "a"
    }
}
