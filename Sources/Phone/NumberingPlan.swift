internal import CPhoneNumber

/// The only place that calls the CPhoneNumber shim, so that no C type reaches the rest of the
/// module. libphonenumber keeps its metadata in a process-wide, thread-safe singleton, which is
/// why this is a namespace rather than an owner of some handle.
enum NumberingPlan {
    /// What libphonenumber concluded, before our own policy (regions, types) is applied.
    enum Verdict: Equatable {
        case valid(PhoneNumber)
        case notANumber, invalidCountryCode, tooShort, tooLong, invalidNumber, hasExtension, failed
    }

    /// Parses and validates `input`; national numbers are read as numbers of `defaultRegion`.
    /// `input` must not contain NUL (C would see only the part before it).
    static func check(_ input: String, defaultRegion: String) -> Verdict {
        var e164 = [CChar](repeating: 0, count: Int(CS_PHONE_E164_CAPACITY))
        var region = [CChar](repeating: 0, count: Int(CS_PHONE_REGION_CAPACITY))
        var countryCode: Int32 = 0
        var type = CS_PHONE_TYPE_UNKNOWN
        let status = input.withCString { input in
            defaultRegion.withCString { defaultRegion in
                cs_phone_parse(input, defaultRegion, &e164, e164.count, &region, region.count, &countryCode, &type)
            }
        }
        switch status {
        case CS_PHONE_OK:
            return .valid(PhoneNumber(
                e164: string(from: e164), region: string(from: region),
                countryCode: Int(countryCode), type: numberType(type)))
        case CS_PHONE_NOT_A_NUMBER: return .notANumber
        case CS_PHONE_INVALID_COUNTRY_CODE: return .invalidCountryCode
        case CS_PHONE_TOO_SHORT: return .tooShort
        case CS_PHONE_TOO_LONG: return .tooLong
        case CS_PHONE_INVALID_NUMBER: return .invalidNumber
        case CS_PHONE_HAS_EXTENSION: return .hasExtension
        default: return .failed
        }
    }

    /// Whether libphonenumber has a numbering plan for this exact geographic region code ("US").
    static func hasRegion(_ code: String) -> Bool {
        !code.utf8.contains(0) && code.withCString { cs_phone_is_supported_region($0) } == 1
    }

    private static func string(from buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func numberType(_ type: cs_phone_type) -> PhoneNumberType {
        switch type {
        case CS_PHONE_TYPE_FIXED_LINE: .fixedLine
        case CS_PHONE_TYPE_MOBILE: .mobile
        case CS_PHONE_TYPE_FIXED_LINE_OR_MOBILE: .fixedLineOrMobile
        case CS_PHONE_TYPE_TOLL_FREE: .tollFree
        case CS_PHONE_TYPE_PREMIUM_RATE: .premiumRate
        case CS_PHONE_TYPE_SHARED_COST: .sharedCost
        case CS_PHONE_TYPE_VOIP: .voip
        case CS_PHONE_TYPE_PERSONAL_NUMBER: .personalNumber
        case CS_PHONE_TYPE_PAGER: .pager
        case CS_PHONE_TYPE_UAN: .uan
        case CS_PHONE_TYPE_VOICEMAIL: .voicemail
        default: .unknown
        }
    }
}
