/// What kind of line a number belongs to, as libphonenumber's metadata for its country says.
public enum PhoneNumberType: String, Sendable, Hashable, CaseIterable {
    case fixedLine
    case mobile
    /// Countries such as the US and Canada do not separate mobile from landline numbers.
    case fixedLineOrMobile
    case tollFree
    case premiumRate
    case sharedCost
    case voip
    /// A number that follows its owner and forwards to another line (UK 070, US 500).
    case personalNumber
    case pager
    /// "Universal access" company numbers, routed to some office.
    case uan
    case voicemail
    /// Fits no known pattern. libphonenumber never returns this for a number it calls valid.
    case unknown

    /// Whether we send verification codes to this kind of number.
    ///
    /// Accepted: mobile, fixed-line-or-mobile (every US and Canadian number), VoIP (these
    /// services generally take SMS) and unknown (never seen for a valid number; accepted so that
    /// a metadata gap cannot lock a user out).
    ///
    /// Refused:
    /// - fixed line: in most countries a text to a landline is lost or read out by a robot, and
    ///   libphonenumber says "fixed line" only where the numbering plan makes it certain (North
    ///   American numbers are never classed as fixed line, so US landline-SMS services still work);
    /// - premium rate, shared cost, toll free, UAN: service numbers that cost money or reach an
    ///   organisation rather than a person's handset, and the classic targets of SMS pumping fraud;
    /// - personal number, pager, voicemail: forwarding or one-way lines that do not prove
    ///   possession of a handset.
    public var canReceiveVerificationTexts: Bool {
        switch self {
        case .mobile, .fixedLineOrMobile, .voip, .unknown:
            true
        case .fixedLine, .tollFree, .premiumRate, .sharedCost, .personalNumber, .pager, .uan, .voicemail:
            false
        }
    }
}
