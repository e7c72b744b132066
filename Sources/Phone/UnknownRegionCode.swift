/// A region code in the configuration that libphonenumber has no numbering plan for. Thrown by
/// `PhoneNumberParser.init` so that a typo fails at start-up instead of refusing every number.
public struct UnknownRegionCode: Error, Sendable, Equatable, CustomStringConvertible {
    /// The code as written in the configuration.
    public let code: String
    /// The configuration key it came from: `phone.default_region` or `phone.allowed_regions`.
    public let key: String

    public var description: String {
        "\(key): unknown region code \"\(code)\"; use ISO 3166 alpha-2 codes such as US, GB or DE"
    }
}
